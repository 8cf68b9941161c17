import { describe, expect, it } from 'vitest';
import { assertAcceptanceConsistent } from './consistency.js';
import type { AcceptanceSample } from './types.js';

const sample: AcceptanceSample = {
  seed: 's',
  rate: 0.2,
  labeledPhotos: 10,
  photos: [
    { name: 'a.jpg', boxes: [{ classKey: 'x', verdict: 'qualified' }, { classKey: 'y', verdict: 'loose' }], missed: 1 },
    { name: 'b.jpg', boxes: [{ classKey: 'x', verdict: 'qualified' }], missed: 0 },
  ],
  qualified: 2,
  total: 4,
  accuracy: 0.5,
};

describe('assertAcceptanceConsistent', () => {
  it('accepts figures that agree with the verdicts', () => {
    expect(() => assertAcceptanceConsistent(sample)).not.toThrow();
  });

  it('names each figure that disagrees', () => {
    expect(() => assertAcceptanceConsistent({ ...sample, total: 3, accuracy: 2 / 3 })).toThrow(/total 3 ≠ boxes 3 \+ missed 1/);
    expect(() => assertAcceptanceConsistent({ ...sample, qualified: 3, accuracy: 0.75 })).toThrow(/qualified 3 ≠ 2/);
    expect(() => assertAcceptanceConsistent({ ...sample, accuracy: 0.6 })).toThrow(/accuracy 0.6 ≠ qualified\/total 0.5/);
  });
});
