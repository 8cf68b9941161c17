import { describe, expect, it } from 'vitest';
import { disagreeingCombo, proposalDisagreement } from './combo-mismatch.js';

const det = (classId: number, score: number) => ({ classId, score, box: { x1: 0, y1: 0, x2: 10, y2: 10 } });

describe('disagreeingCombo', () => {
  it('names the combo of confident detections when one is outside the photo combo', () => {
    // Issue 11 point 6: combo 指针仪表-正常, the model sees two gauges and a digital meter.
    expect(disagreeingCombo([det(0, 0.99), det(0, 0.97), det(2, 0.95)], [0])).toBe('0+2');
  });
  it('is silent when the model agrees, or is not sure of the outsider', () => {
    expect(disagreeingCombo([det(0, 0.99), det(2, 0.3)], [0])).toBeUndefined();
    expect(disagreeingCombo([det(0, 0.9)], [0, 2])).toBeUndefined();
    expect(disagreeingCombo([], [0])).toBeUndefined();
  });
});

describe('proposalDisagreement', () => {
  it('reads the combo from a model proposal, never from a human edit', () => {
    expect(proposalDisagreement([{ classId: 2, source: 'model' }], '0')).toBe('2');
    expect(proposalDisagreement([{ classId: 0, source: 'model' }, { classId: 2, source: 'model' }], '0')).toBe('0+2');
    expect(proposalDisagreement([{ classId: 2, source: 'human' }], '0')).toBeUndefined();
    expect(proposalDisagreement([{ classId: 0, source: 'model' }], '0+2')).toBeUndefined();
  });
});
