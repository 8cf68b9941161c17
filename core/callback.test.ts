import { describe, expect, it } from 'vitest';
import { decodeCallback, encodeCallback } from './callback.js';

describe('callback data', () => {
  it('round-trips', () => {
    const d = encodeCallback('cap', '0+2');
    expect(d).toBe('v1:cap:0+2');
    expect(decodeCallback(d)).toEqual({ action: 'cap', args: ['0+2'] });
  });
  it('refuses other versions and junk', () => {
    expect(decodeCallback('v0:cap:1')).toBeUndefined();
    expect(decodeCallback('lang:en')).toBeUndefined();
    expect(decodeCallback('v1:a:<script>')).toBeUndefined();
    expect(decodeCallback(undefined)).toBeUndefined();
    expect(decodeCallback('v1:' + 'x'.repeat(80))).toBeUndefined();
  });
  it('throws on oversized or unsafe parts (a bug, caught in tests)', () => {
    expect(() => encodeCallback('x', 'a:b')).toThrow();
    expect(() => encodeCallback('x', ...Array(10).fill('abcdefgh'))).toThrow();
  });
});
