import { describe, expect, it } from 'vitest';
import { InvariantError } from '../core/index.js';
import { assertNoFullId, looksLikeFullId } from './guard.js';

describe('full ID guard', () => {
  it('spots 18-character ID numbers (digit or X check character) but not masked ones or longer digit runs', () => {
    expect(looksLikeFullId('110101199003074514')).toBe(true);
    expect(looksLikeFullId('张伟 11010119900307451X')).toBe(true);
    expect(looksLikeFullId('1101**********1234')).toBe(false);
    expect(looksLikeFullId('12345678901234567890')).toBe(false);
    expect(looksLikeFullId('A07')).toBe(false);
  });

  it('names the field that holds one, anywhere in nested data, and ignores JPEG bytes', () => {
    const data = { station: 'A07', photos: [{ name: 'a.jpg', jpeg: new Uint8Array(18).fill(0x31) }], meta: { note: 'id 110101199003074514' } };
    expect(() => assertNoFullId(data)).toThrow(InvariantError);
    expect(() => assertNoFullId(data)).toThrow(/data\.meta\.note/);
    expect(() => assertNoFullId({ ...data, meta: { note: 'ok' } })).not.toThrow();
  });
});
