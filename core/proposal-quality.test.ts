import { describe, expect, it } from 'vitest';
import { assistWins, isOneTap, proposalQuality } from './proposal-quality.js';

const box = (classId: number, x1: number, x2 = x1 + 100) => ({ classId, x1, y1: 0, x2, y2: 100 });

describe('proposal quality', () => {
  it('one tap: every true box matched at IoU ≥ 0.9 with its class, nothing extra', () => {
    const truth = [box(0, 0), box(1, 200)];
    expect(isOneTap([box(1, 205), box(0, 5)], truth)).toBe(true); // IoU 0.905
    expect(isOneTap([box(0, 0), box(0, 200)], truth)).toBe(false); // wrong class
    expect(isOneTap([box(0, 0), box(1, 200), box(1, 400)], truth)).toBe(false); // one extra
    expect(isOneTap([box(0, 0), box(1, 210)], truth)).toBe(false); // IoU 0.82
  });

  it('scores photos: one-tap count and the mean best same-class IoU of the true boxes (0 when none)', () => {
    const q = proposalQuality([
      { proposal: [box(0, 0)], truth: [box(0, 0)] },
      { proposal: [box(0, 50)], truth: [box(0, 0), box(1, 200)] }, // IoU 1/3 and nothing of class 1
    ]);
    expect(q.photos).toBe(2);
    expect(q.oneTap).toBe(1);
    expect(q.meanIou).toBeCloseTo((1 + 1 / 3 + 0) / 3, 9);
    expect(proposalQuality([])).toEqual({ photos: 0, oneTap: 0, meanIou: 0 });
  });

  it('an assist model wins with more photos one tap, else with a higher mAP; a tie keeps the current one', () => {
    const q = (oneTap: number, meanIou: number, map50_95: number) => ({ quality: { photos: 4, oneTap, meanIou }, map50_95 });
    expect(assistWins(q(3, 0.8, 0.5), q(2, 0.95, 0.9))).toBe(true);
    expect(assistWins(q(2, 0.95, 0.9), q(3, 0.8, 0.5))).toBe(false);
    // as many one tap: the mean IoU is not compared (the current model's own proposals are the labels)
    expect(assistWins(q(2, 0.9, 0.7), q(2, 1, 0.6))).toBe(true);
    expect(assistWins(q(2, 1, 0.6), q(2, 0.9, 0.7))).toBe(false);
    expect(assistWins(q(2, 0.9, 0.6), q(2, 0.9, 0.6))).toBe(false);
  });
});
