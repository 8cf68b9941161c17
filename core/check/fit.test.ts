import { describe, expect, it } from 'vitest';
import type { EdgeEvidence, SideEvidence } from './evidence.js';
import { fitBox } from './fit.js';

/** A 100 × 100 box: flag threshold 4 px (1.5 × the judge's 2 px, at least 4). */
const BOX = { classId: 0, x1: 100, y1: 100, x2: 200, y2: 200 };
const only = (left: SideEvidence): EdgeEvidence => ({ left, top: null, right: null, bottom: null });

describe('fitBox: loose sides with a plain band', () => {
  it('flags a weak edge when the band between the side and it is plain background', () => {
    expect(fitBox(BOX, only({ deviationPx: 6, confidence: 0.1, bandContrast: 0.05 }), undefined).loose).toEqual([{ side: 'left', px: 6 }]);
  });

  it('stays silent on the same weak edge when the band looks like the object (a faint rim)', () => {
    expect(fitBox(BOX, only({ deviationPx: 6, confidence: 0.1, bandContrast: 0.3 }), undefined).loose).toEqual([]);
    expect(fitBox(BOX, only({ deviationPx: 6, confidence: 0.1 }), undefined).loose).toEqual([]);
  });

  it('flags a plain-band side from 3 px (0.75 of the threshold), other sides only beyond 4 px', () => {
    expect(fitBox(BOX, only({ deviationPx: 3.5, confidence: 1, bandContrast: 0.05 }), undefined).loose).toEqual([{ side: 'left', px: 3.5 }]);
    expect(fitBox(BOX, only({ deviationPx: 3.5, confidence: 1, bandContrast: 0.5 }), undefined).loose).toEqual([]);
    expect(fitBox(BOX, only({ deviationPx: 2.8, confidence: 1, bandContrast: 0.05 }), undefined).loose).toEqual([]);
  });
});
