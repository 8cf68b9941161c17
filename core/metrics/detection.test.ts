import { describe, expect, it } from 'vitest';
import { InvariantError } from '../errors.js';
import { averagePrecision, evaluateDetections } from './detection.js';
import type { Box } from './geometry.js';
import type { GroundTruthImage, ImageDetection } from './matching.js';

const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });
const det = (imageId: string, classId: number, score: number, b: Box): ImageDetection => ({
  imageId,
  classId,
  score,
  box: b,
});

const A1 = box(10, 10, 50, 50);
const A2 = box(60, 10, 90, 40);
const B1 = box(0, 0, 20, 20);
const gt: GroundTruthImage[] = [
  { imageId: 'a', boxes: [{ classId: 0, box: A1 }, { classId: 1, box: A2 }] },
  { imageId: 'b', boxes: [{ classId: 0, box: B1 }] },
];

describe('evaluateDetections', () => {
  it('perfect detections give AP 1, precision 1 and recall 1', () => {
    const dets = [det('a', 0, 0.9, A1), det('a', 1, 0.8, A2), det('b', 0, 0.7, B1)];
    const r = evaluateDetections(gt, dets, { classIds: [0, 1] });
    expect(r.map50).toBe(1);
    expect(r.map50_95).toBe(1);
    expect(r.precision).toBe(1);
    expect(r.recall).toBe(1);
    expect(r.perClass).toEqual([
      { classId: 0, ap50: 1, ap50_95: 1, gtCount: 2, detCount: 2, precision: 1, recall: 1 },
      { classId: 1, ap50: 1, ap50_95: 1, gtCount: 1, detCount: 1, precision: 1, recall: 1 },
    ]);
    expect(r.confusion).toEqual([
      [2, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('a false positive ranked above the true positives lowers AP to 2/3', () => {
    // Class 0, 2 GT: FP (0.95), TP (0.9), TP (0.7) -> rc [0, .5, 1], pr [0, .5, 2/3];
    // envelope [2/3, 2/3, 2/3] sampled at all 101 thresholds -> AP50 = 2/3.
    const dets = [det('b', 0, 0.95, box(100, 100, 120, 120)), det('a', 0, 0.9, A1), det('b', 0, 0.7, B1)];
    expect(averagePrecision(gt, dets, 0)).toBeCloseTo(2 / 3, 12);
    const r = evaluateDetections(gt, dets, { classIds: [0, 1] });
    expect(r.perClass[0]?.precision).toBeCloseTo(2 / 3, 15);
    // Class 1 has GT and no detections: AP 0, and it counts in the mean.
    expect(r.perClass[1]?.ap50).toBe(0);
    expect(r.map50).toBeCloseTo(1 / 3, 12);
  });

  it('a missed ground truth gives recall < 1 and the 101-point value', () => {
    // Class 0, 2 GT, only A1 found: rc [0.5], pr [1] -> thresholds 0..0.50 (51) -> AP = 51/101.
    const r = evaluateDetections(gt, [det('a', 0, 0.9, A1)], { classIds: [0, 1] });
    expect(r.perClass[0]?.recall).toBe(0.5);
    expect(r.perClass[0]?.ap50).toBeCloseTo(51 / 101, 12);
    // Micro recall: 1 TP of 3 GT (A1, A2, B1).
    expect(r.recall).toBeCloseTo(1 / 3, 15);
  });

  it('counts a duplicate detection on one ground truth as a false positive', () => {
    const dets = [det('a', 1, 0.9, A2), det('a', 1, 0.8, box(61, 10, 90, 40))];
    const r = evaluateDetections(gt, dets, { classIds: [0, 1] });
    expect(r.perClass[1]).toMatchObject({ precision: 0.5, recall: 1, detCount: 2 });
    // rc [1, 1], pr [1, 1/2]: the duplicate comes after full recall, so AP stays 1.
    expect(r.perClass[1]?.ap50).toBe(1);
    // The duplicate is a background false positive; A1 and B1 are missed.
    expect(r.confusion).toEqual([
      [0, 0, 2],
      [0, 1, 0],
      [0, 1, 0],
    ]);
  });

  it('never matches across classes', () => {
    // A class-1 box exactly on the class-0 ground truth B1.
    const g: GroundTruthImage[] = [{ imageId: 'b', boxes: [{ classId: 0, box: B1 }] }];
    const r = evaluateDetections(g, [det('b', 1, 0.9, B1)], { classIds: [0, 1] });
    expect(r.perClass[0]).toMatchObject({ ap50: 0, recall: 0, precision: null, gtCount: 1, detCount: 0 });
    // Class 1 has no ground truth: undefined AP, left out of the mean.
    expect(r.perClass[1]).toMatchObject({ ap50: null, ap50_95: null, recall: null, precision: 0 });
    expect(r.map50).toBe(0);
    expect(r.confusion).toEqual([
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('counts IoU exactly 0.5 as a match at 0.5 only', () => {
    const g: GroundTruthImage[] = [{ imageId: 'x', boxes: [{ classId: 0, box: box(0, 0, 10, 10) }] }];
    const half = [det('x', 0, 0.9, box(0, 0, 10, 5))];
    const r = evaluateDetections(g, half, { classIds: [0] });
    expect(r.perClass[0]?.ap50).toBe(1);
    // Matched at 0.50 only, missed at 0.55..0.95: mean of [1, 0 x 9].
    expect(r.perClass[0]?.ap50_95).toBeCloseTo(0.1, 15);
    const justBelow = [det('x', 0, 0.9, box(0, 0, 10, 4.99))];
    expect(averagePrecision(g, justBelow, 0)).toBe(0);
  });

  it('averages AP over the COCO IoU grid for mAP50-95', () => {
    // IoU 0.8 (inter 80, union 100): a match at 0.50..0.80 (7 thresholds), not above.
    const g: GroundTruthImage[] = [{ imageId: 'x', boxes: [{ classId: 0, box: box(0, 0, 10, 10) }] }];
    const r = evaluateDetections(g, [det('x', 0, 0.9, box(0, 0, 10, 8))], { classIds: [0] });
    expect(r.map50_95).toBeCloseTo(0.7, 15);
  });

  it('handles empty inputs with nulls, zeros and empty curves', () => {
    const r = evaluateDetections([], [], { classIds: [0, 1] });
    expect(r.map50).toBeNull();
    expect(r.map50_95).toBeNull();
    expect(r.precision).toBeNull();
    expect(r.recall).toBeNull();
    expect(r.perClass[0]).toEqual({
      classId: 0,
      ap50: null,
      ap50_95: null,
      gtCount: 0,
      detCount: 0,
      precision: null,
      recall: null,
    });
    expect(r.confusion).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(r.pr).toEqual([
      { classId: 0, points: [] },
      { classId: 1, points: [] },
    ]);
    expect(evaluateDetections([], [], { classIds: [] }).confusion).toEqual([[0]]);
    expect(evaluateDetections(gt, [], { classIds: [0, 1] }).map50).toBe(0);
  });

  it('keeps detections at exactly scoreThreshold for precision and recall, but all for AP', () => {
    const dets = [det('a', 0, 0.5, A1), det('b', 0, 0.49, B1)];
    const r = evaluateDetections(gt, dets, { classIds: [0, 1], scoreThreshold: 0.5 });
    expect(r.perClass[0]).toMatchObject({ precision: 1, recall: 0.5, ap50: 1, detCount: 2 });
  });

  it('uses iouThreshold for the operating point but not for AP50', () => {
    const g: GroundTruthImage[] = [{ imageId: 'x', boxes: [{ classId: 0, box: box(0, 0, 10, 10) }] }];
    const r = evaluateDetections(g, [det('x', 0, 0.9, box(0, 0, 10, 6))], { classIds: [0], iouThreshold: 0.7 });
    expect(r.perClass[0]).toMatchObject({ ap50: 1, precision: 0, recall: 0 });
    expect(r.confusion).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('caps detections per image with maxDetsPerImage like pycocotools maxDets', () => {
    const dets = [det('b', 0, 0.9, box(100, 100, 120, 120)), det('b', 0, 0.8, B1)];
    const g: GroundTruthImage[] = [{ imageId: 'b', boxes: [{ classId: 0, box: B1 }] }];
    expect(averagePrecision(g, dets, 0)).toBe(0.5);
    expect(averagePrecision(g, dets, 0, 0.5, 1)).toBe(0);
  });

  it('breaks score ties by input index', () => {
    // Same score; loose has IoU 0.6, tight has IoU 0.9 with the only GT.
    const g: GroundTruthImage[] = [{ imageId: 'x', boxes: [{ classId: 0, box: box(0, 0, 10, 10) }] }];
    const loose = det('x', 0, 0.8, box(0, 0, 10, 6));
    const tight = det('x', 0, 0.8, box(0, 0, 10, 9));
    // At IoU 0.75 loose cannot match: [loose, tight] ranks FP, TP -> 0.5; [tight, loose] -> 1.
    expect(averagePrecision(g, [loose, tight], 0, 0.75)).toBe(0.5);
    expect(averagePrecision(g, [tight, loose], 0, 0.75)).toBe(1);
  });

  it('gives a per-class raw PR curve at the operating IoU', () => {
    const dets = [det('a', 0, 0.9, A1), det('b', 0, 0.8, box(100, 100, 120, 120)), det('b', 0, 0.7, B1)];
    const r = evaluateDetections(gt, dets, { classIds: [0, 1] });
    expect(r.pr[0]).toEqual({
      classId: 0,
      points: [
        { recall: 0.5, precision: 1, score: 0.9 },
        { recall: 0.5, precision: 0.5, score: 0.8 },
        { recall: 1, precision: 2 / 3, score: 0.7 },
      ],
    });
    expect(r.pr[1]).toEqual({ classId: 1, points: [] });
  });

  it('rejects inputs that would silently skew the metrics', () => {
    expect(() => evaluateDetections(gt, [det('a', 7, 0.9, A1)], { classIds: [0, 1] })).toThrow(InvariantError);
    expect(() => evaluateDetections(gt, [det('a', 7, 0.9, A1)], { classIds: [0, 1] })).toThrow(/not in classIds/);
    expect(() => evaluateDetections(gt, [det('zzz', 0, 0.9, A1)], { classIds: [0, 1] })).toThrow(/boxes: \[\]/);
    expect(() => evaluateDetections([...gt, { imageId: 'a', boxes: [] }], [], { classIds: [0, 1] })).toThrow(/twice/);
    expect(() => evaluateDetections(gt, [det('a', 0, Number.NaN, A1)], { classIds: [0, 1] })).toThrow(/finite/);
    expect(() => evaluateDetections(gt, [], { classIds: [0, 0, 1] })).toThrow(/duplicates/);
  });
});

describe('order independence', () => {
  /** Small deterministic PRNG (mulberry32) so failures reproduce. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffled<T>(items: readonly T[], rand: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  it('gives identical results for any order of detections with distinct scores', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rand = rng(seed);
      const images: GroundTruthImage[] = [];
      const dets: ImageDetection[] = [];
      for (let i = 0; i < 5; i++) {
        const imageId = `img${i}`;
        const boxes = Array.from({ length: Math.floor(rand() * 4) }, () => {
          const x = Math.floor(rand() * 100);
          const y = Math.floor(rand() * 100);
          return { classId: Math.floor(rand() * 3), box: box(x, y, x + 10 + rand() * 30, y + 10 + rand() * 30) };
        });
        images.push({ imageId, boxes });
        for (const g of boxes) {
          for (let k = 0; k < 2; k++) {
            const j = (): number => (rand() - 0.5) * 8;
            const b = box(g.box.x1 + j(), g.box.y1 + j(), g.box.x2 + j(), g.box.y2 + j());
            dets.push(det(imageId, rand() < 0.8 ? g.classId : Math.floor(rand() * 3), 0, b));
          }
        }
        dets.push(det(imageId, Math.floor(rand() * 3), 0, box(150, 150, 170, 170)));
      }
      // Distinct scores: a random permutation of k / n.
      const scores = shuffled(dets.map((_, k) => (k + 1) / (dets.length + 1)), rand);
      const scored = dets.map((d, k) => ({ ...d, score: scores[k] as number }));
      const options = { classIds: [0, 1, 2], scoreThreshold: 0.3 };
      const expected = evaluateDetections(images, scored, options);
      expect(expected.perClass.some((c) => c.ap50 !== null && c.ap50 > 0 && c.ap50 < 1)).toBe(true);
      for (let trial = 0; trial < 5; trial++) {
        expect(evaluateDetections(images, shuffled(scored, rand), options)).toEqual(expected);
      }
    }
  });
});
