import { describe, expect, it } from 'vitest';
import { drawSample, sampleSize, tallyReview } from './review.js';

describe('acceptance sample', () => {
  it('size is ceil(rate × n), at least one, never more than n', () => {
    expect(sampleSize(0, 0.2)).toBe(0);
    expect(sampleSize(1, 0.2)).toBe(1);
    expect(sampleSize(4, 0.2)).toBe(1);
    expect(sampleSize(5, 0.2)).toBe(1);
    expect(sampleSize(6, 0.2)).toBe(2);
    expect(sampleSize(100, 0.2)).toBe(20);
    expect(sampleSize(101, 0.2)).toBe(21);
    expect(sampleSize(3, 1)).toBe(3);
  });

  it('the same ids, rate and seed give the same sample, in any input order', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i + 1);
    const a = drawSample(ids, 0.2, 12345);
    expect(a).toHaveLength(20);
    expect(drawSample([...ids].reverse(), 0.2, 12345)).toEqual(a);
    expect(new Set(a).size).toBe(20);
    expect(a.every((id) => ids.includes(id))).toBe(true);
  });

  it('another seed draws another sample, and every photo can be drawn', () => {
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(drawSample(ids, 0.2, 1)).not.toEqual(drawSample(ids, 0.2, 2));
    const seen = new Set<number>();
    for (let s = 0; s < 200; s++) for (const id of drawSample(ids, 0.2, s)) seen.add(id);
    expect(seen.size).toBe(50);
  });
});

describe('review tally', () => {
  it('accuracy = qualified / (boxes + missed), with the counts', () => {
    const t = tallyReview([
      { boxId: 1, verdict: 'qualified', missed: 0 },
      { boxId: 2, verdict: 'loose', missed: 0 },
      { boxId: 3, verdict: 'qualified', missed: 0 },
      { boxId: null, verdict: 'pending', missed: 1 },
      { boxId: 4, verdict: 'wrong-label', missed: 0 },
    ]);
    expect(t).toEqual({ boxes: 4, qualified: 2, loose: 1, wrongLabel: 1, pending: 0, missed: 1, accuracy: 2 / 5 });
    expect(tallyReview([]).accuracy).toBeNull();
    expect(tallyReview([{ boxId: 1, verdict: 'pending', missed: 0 }]).pending).toBe(1);
  });
});
