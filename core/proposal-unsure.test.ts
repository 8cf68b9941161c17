import { describe, expect, it } from 'vitest';
import { unsureOf } from './proposal-message.js';

const box = (score: number | null, classId = 0) => ({ classId, score, flags: [] });

describe('unsureOf (issue 14 point 5)', () => {
  it('is unsure when a combo class has no box, naming the classes in combo order', () => {
    expect(unsureOf({ state: 'proposed', boxes: [box(0.95, 2)], photoFlags: [{ kind: 'missing-class', classIds: [0, 1] }] }, 0.7)).toEqual({ missingClassIds: [0, 1], sureScore: 0.7 });
  });

  it('is unsure when even the best model score is below sureScore, and says which', () => {
    expect(unsureOf({ state: 'proposed', boxes: [box(0.42), box(0.61, 1)], photoFlags: [] }, 0.7)).toEqual({ missingClassIds: [], lowScore: 0.61, sureScore: 0.7 });
    expect(unsureOf({ state: 'proposed', boxes: [box(0.42), box(0.71, 1)], photoFlags: [] }, 0.7)).toBeUndefined();
  });

  it('trusts a box the contestant drew or relabelled (no score), a confirmed label, and a photo not yet detected', () => {
    expect(unsureOf({ state: 'proposed', boxes: [box(null), box(0.3, 1)], photoFlags: [] }, 0.7)).toBeUndefined();
    expect(unsureOf({ state: 'confirmed', boxes: [box(0.3)], photoFlags: [{ kind: 'missing-class', classIds: [1] }] }, 0.7)).toBeUndefined();
    expect(unsureOf({ state: 'proposed', boxes: [], photoFlags: [], isUndetected: true }, 0.7)).toBeUndefined();
  });
});
