import { describe, expect, it } from 'vitest';
import { niceTicks } from './charts/index.js';
import { histogram, pct, when } from './format.js';

describe('report formatting', () => {
  it('bins values into equal-width bins including the maximum', () => {
    expect(histogram([0, 1, 2, 3, 4], 2)).toEqual({ edges: [0, 2, 4], counts: [2, 3] });
    expect(histogram([], 4)).toEqual({ edges: [], counts: [] });
    expect(histogram([5, 5], 3).counts).toEqual([2, 0, 0]);
  });

  it('prints percentages and UTC times, and a dash for a step not done', () => {
    expect(pct(0.9231)).toBe('92.3%');
    expect(when('2026-11-30T02:20:00Z')).toBe('2026-11-30 02:20 UTC');
    expect(when(null)).toBe('—');
  });

  it('chooses round chart ticks that cover the data', () => {
    expect(niceTicks(0, 60, 4)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = niceTicks(0, 37, 4);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(37);
  });
});
