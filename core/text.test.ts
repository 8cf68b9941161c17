import { describe, expect, it } from 'vitest';
import { idCheckChar } from './station.js';
import { findIdNumbers, maskIdNumbersIn, truncate } from './text.js';

const valid = (first17: string) => first17 + idCheckChar(first17);

describe('truncate', () => {
  it('never leaves half of an emoji at the cut', () => {
    const text = `${'a'.repeat(39)}📷📷`;
    expect(text.slice(0, 40)).toMatch(/[\uD800-\uDBFF]$/); // what .slice did: a lone surrogate
    const cut = truncate(text, 40);
    expect(cut).toBe(`${'a'.repeat(39)}…`);
    expect(cut).not.toMatch(/[\uD800-\uDFFF]/u); // no lone surrogate (with u, a pair is one code point)
    expect(truncate(`${'a'.repeat(38)}📷📷x`, 40)).toBe(`${'a'.repeat(38)}📷…`);
  });
  it('returns short text unchanged and counts code points, not UTF-16 units', () => {
    expect(truncate('📷📷📷', 3)).toBe('📷📷📷');
    expect(truncate('abc', 0)).toBe('');
  });
});

describe('findIdNumbers / maskIdNumbersIn', () => {
  const id = valid('11010519900307123');
  it('finds an ID number with a valid check character inside text', () => {
    expect(findIdNumbers(`my id ${id}, thanks`)).toEqual([id]);
    expect(maskIdNumbersIn(`id:${id}`)).toBe(`id:${id.slice(0, 4)}**********${id.slice(-4)}`);
  });
  it('ignores a wrong check character and longer digit runs', () => {
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(findIdNumbers(`x ${wrong} y`)).toEqual([]);
    expect(findIdNumbers(`${id}9`)).toEqual([]);
    expect(maskIdNumbersIn(`x ${wrong}`)).toBe(`x ${wrong}`);
  });
  it('finds a lower-case x check character', () => {
    expect(findIdNumbers('11010519491231002x')).toEqual(['11010519491231002x']);
  });
});
