import { describe, expect, it } from 'vitest';
import { parseYoloLabel, toYoloLabel, toYoloLine } from './yolo.js';

describe('YOLO labels', () => {
  it('round-trips pixel boxes within rounding of 6 decimals', () => {
    const boxes = [
      { classId: 0, x1: 10.25, y1: 20.5, x2: 200.125, y2: 180.75 },
      { classId: 2, x1: 400, y1: 300, x2: 639.5, y2: 479 },
    ];
    const text = toYoloLabel(boxes, 640, 480);
    expect(text.split('\n')).toHaveLength(3);
    const back = parseYoloLabel(text, 640, 480);
    expect(back).toHaveLength(2);
    back.forEach((b, i) => {
      const a = boxes[i]!;
      expect(b.classId).toBe(a.classId);
      for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(b[k] - a[k])).toBeLessThan(1e-3);
    });
  });

  it('writes normalised centre/size with 6 decimals', () => {
    expect(toYoloLine({ classId: 1, x1: 0, y1: 0, x2: 320, y2: 120 }, 640, 480)).toBe('1 0.250000 0.125000 0.500000 0.250000');
  });

  it('names a malformed line', () => {
    expect(() => parseYoloLabel('0 0.5 0.5 0.1 0.1\n1 0.5 oops 0.1 0.1\n', 640, 480)).toThrow(/line 2/);
  });
});
