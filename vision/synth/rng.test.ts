import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
  });

  it('keeps draws in range', () => {
    const r = createRng(1);
    for (let i = 0; i < 2000; i++) {
      const v = r.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      const k = r.int(-2, 3);
      expect(Number.isInteger(k) && k >= -2 && k <= 3).toBe(true);
      expect(Math.abs(r.gauss())).toBeLessThanOrEqual(3.5);
    }
  });

  it('shuffles into a permutation without touching the input', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = createRng(5).shuffle(items);
    expect([...out].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('distinguishes seeds beyond 32 bits and rejects non-finite seeds', () => {
    expect(createRng(2 ** 32 + 1).next()).not.toBe(createRng(1).next());
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
  });
});
