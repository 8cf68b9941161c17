import { describe, expect, it } from 'vitest';
import { isBoxQualified, judgeBox, tightness } from './acceptance.js';
import type { Box } from './geometry.js';

const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });
const ref = box(100, 100, 150, 150); // 50 x 50: side tolerance max(2, 1) = 2 px

describe('tightness', () => {
  it('gives signed per-edge deviations, positive when the label is looser', () => {
    expect(tightness(box(98, 101, 153, 150), ref)).toEqual({
      // inter 50 x 49 = 2450; union 55*49 + 50*50 - 2450 = 2745
      iou: expect.closeTo(2450 / 2745, 15) as number,
      left: 2,
      top: -1,
      right: 3,
      bottom: 0,
    });
  });
});

describe('judgeBox', () => {
  it('qualifies an exact box', () => {
    expect(judgeBox(ref, ref).kind).toBe('qualified');
  });

  it('qualifies edges within 2 px (inclusive) on a small box', () => {
    // IoU = 50*50 / (52*52) = 0.924 >= 0.9; each edge off by at most 2 px.
    expect(isBoxQualified(box(98, 98, 150, 150), ref)).toBe(true);
  });

  it('rejects an edge 3 px off on a small box and says which', () => {
    const v = judgeBox(box(100, 100, 153, 150), ref);
    expect(v).toMatchObject({
      kind: 'unqualified',
      defects: [{ kind: 'side-off', side: 'right', deviationPx: 3, tolerancePx: 2 }],
    });
  });

  it('allows 2% of the side on a large box', () => {
    const big = box(0, 0, 500, 400); // tolerance: 10 px left/right, 8 px top/bottom
    expect(isBoxQualified(box(-10, 0, 500, 400), big)).toBe(true);
    expect(judgeBox(box(0, 0, 500, 409), big)).toMatchObject({
      kind: 'unqualified',
      defects: [{ kind: 'side-off', side: 'bottom', deviationPx: 9, tolerancePx: 8 }],
    });
  });

  it('rejects a low IoU even when each edge is within tolerance', () => {
    // 20 x 20 reference: 2 px tolerance; shrink every edge by 2 px -> IoU 16*16/400 = 0.64.
    const small = box(0, 0, 20, 20);
    const v = judgeBox(box(2, 2, 18, 18), small);
    expect(v).toMatchObject({ kind: 'unqualified', defects: [{ kind: 'low-iou', minIou: 0.9 }] });
    if (v.kind === 'unqualified') expect(v.defects).toHaveLength(1);
  });

  it('takes the thresholds as parameters', () => {
    const label = box(100, 100, 153, 150);
    expect(isBoxQualified(label, ref, { sideTolerancePx: 3 })).toBe(true);
    expect(isBoxQualified(label, ref, { sideTolerancePx: 3, minIou: 0.95 })).toBe(false);
    expect(isBoxQualified(label, ref, { sideToleranceFraction: 0.06 })).toBe(true);
  });
});
