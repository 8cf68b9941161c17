import { describe, expect, it } from 'vitest';
import { RECALL_THRESHOLDS, cocoAveragePrecision, downsample, precisionRecallCurve } from './ap.js';

describe('RECALL_THRESHOLDS', () => {
  it('has 101 values from 0 to 1 computed like numpy.linspace (i * 0.01)', () => {
    expect(RECALL_THRESHOLDS).toHaveLength(101);
    expect(RECALL_THRESHOLDS[0]).toBe(0);
    expect(RECALL_THRESHOLDS[100]).toBe(1);
    // numpy gives 0.7000000000000001 here, not 0.7; matching it matters (see below).
    expect(RECALL_THRESHOLDS[70]).toBe(0.7000000000000001);
    expect(RECALL_THRESHOLDS[50]).toBe(0.5);
  });
});

describe('cocoAveragePrecision', () => {
  it('is 1 for a perfect ranking', () => {
    expect(cocoAveragePrecision([true, true, true], 3)).toBe(1);
  });

  it('is null without ground truth and 0 without detections', () => {
    expect(cocoAveragePrecision([false, false], 0)).toBeNull();
    expect(cocoAveragePrecision([], 0)).toBeNull();
    expect(cocoAveragePrecision([], 2)).toBe(0);
    expect(cocoAveragePrecision([false], 2)).toBe(0);
  });

  it('FP ranked first: FP, TP, TP with 2 GT gives 2/3', () => {
    // rc = [0, 0.5, 1], pr = [0, 1/2, 2/3]; envelope from the right: [2/3, 2/3, 2/3].
    // Every recall threshold 0..1 is reached, each samples 2/3 -> AP = 2/3.
    expect(cocoAveragePrecision([false, true, true], 2)).toBeCloseTo(2 / 3, 12);
  });

  it('TP, FP, TP with 2 GT gives 253/303', () => {
    // rc = [0.5, 0.5, 1], pr = [1, 1/2, 2/3]; envelope: [1, 2/3, 2/3].
    // r = 0.00..0.50 (51 thresholds): first rc >= r is i=0 -> 1.
    // r = 0.51..1.00 (50 thresholds): first rc >= r is i=2 -> 2/3.
    // AP = (51 * 1 + 50 * 2/3) / 101 = (253/3) / 101 = 253/303 = 0.83498...
    expect(cocoAveragePrecision([true, false, true], 2)).toBeCloseTo(253 / 303, 12);
  });

  it('missed ground truth: 3 of 4 found gives 76/101', () => {
    // rc = [0.25, 0.5, 0.75], pr = 1 throughout. Thresholds 0.00..0.75 (76 of them)
    // sample 1; 0.76..1.00 are never reached and count 0 -> AP = 76/101.
    expect(cocoAveragePrecision([true, true, true], 4)).toBeCloseTo(76 / 101, 12);
  });

  it('reproduces the numpy threshold quirk: 7 of 10 found gives 70/101, not 71/101', () => {
    // rc reaches exactly 0.7, but threshold 70 is 0.7000000000000001 > 0.7, so only
    // thresholds 0..69 (70 of them) are reached, exactly as in pycocotools.
    expect(cocoAveragePrecision(Array<boolean>(7).fill(true), 10)).toBeCloseTo(70 / 101, 12);
  });

  it('a lower-ranked duplicate (FP after all TPs) does not lower AP', () => {
    // rc = [1, 1], pr = [1, 1/2]; every threshold samples i=0 -> 1.
    expect(cocoAveragePrecision([true, false], 1)).toBe(1);
  });
});

describe('precisionRecallCurve', () => {
  it('gives one raw point per detection with distinct scores', () => {
    const ranked = [{ score: 0.9 }, { score: 0.8 }, { score: 0.7 }];
    expect(precisionRecallCurve(ranked, [true, false, true], 2)).toEqual([
      { recall: 0.5, precision: 1, score: 0.9 },
      { recall: 0.5, precision: 0.5, score: 0.8 },
      { recall: 1, precision: 2 / 3, score: 0.7 },
    ]);
  });

  it('lets tied scores enter together', () => {
    const ranked = [{ score: 0.9 }, { score: 0.9 }, { score: 0.4 }];
    expect(precisionRecallCurve(ranked, [true, false, true], 2)).toEqual([
      { recall: 0.5, precision: 0.5, score: 0.9 },
      { recall: 1, precision: 2 / 3, score: 0.4 },
    ]);
  });

  it('is empty without ground truth or detections', () => {
    expect(precisionRecallCurve([{ score: 0.9 }], [false], 0)).toEqual([]);
    expect(precisionRecallCurve([], [], 3)).toEqual([]);
  });

  it('downsamples to at most 101 points keeping both ends', () => {
    const n = 1000;
    const ranked = Array.from({ length: n }, (_, i) => ({ score: 1 - i / n }));
    const curve = precisionRecallCurve(ranked, ranked.map(() => true), n);
    expect(curve).toHaveLength(101);
    expect(curve[0]).toEqual({ recall: 1 / n, precision: 1, score: 1 });
    expect(curve[100]?.recall).toBe(1);
  });
});

describe('downsample', () => {
  it('keeps short inputs and spreads long ones evenly', () => {
    expect(downsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(downsample([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
  });
});
