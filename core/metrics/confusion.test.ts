import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion.js';
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

describe('confusionMatrix', () => {
  it('counts hits, confusions, false positives and misses on a small example', () => {
    const dets = [
      det('a', 0, 0.9, A1), // class 0 on class-0 GT: [0][0]
      det('a', 0, 0.8, A2), // class 0 on class-1 GT: [1][0]
      det('a', 1, 0.7, box(200, 200, 220, 220)), // nothing there: background row [2][1]
      det('a', 0, 0.6, A1), // duplicate, A1 already taken: [2][0]
      det('b', 0, 0.3, B1), // below scoreThreshold: ignored, so B1 is missed: [0][2]
    ];
    expect(confusionMatrix(gt, dets, [0, 1], 0.5, 0.5)).toEqual([
      [1, 0, 1],
      [1, 0, 0],
      [1, 1, 0],
    ]);
  });

  it('follows classIds order, not class id values', () => {
    const dets = [det('a', 1, 0.9, A2)];
    // Index 0 is class 1 here; A1 and B1 (class 0, index 1) are missed.
    expect(confusionMatrix(gt, dets, [1, 0], 0.5, 0.5)).toEqual([
      [1, 0, 0],
      [0, 0, 2],
      [0, 0, 0],
    ]);
  });

  it('lets a better-scored wrong-class box take the ground truth', () => {
    // Both boxes sit on A2 (class 1); the class-0 one scores higher and wins it,
    // so the correct class-1 box becomes a background false positive.
    const dets = [det('a', 0, 0.9, A2), det('a', 1, 0.8, A2)];
    const m = confusionMatrix([{ imageId: 'a', boxes: [{ classId: 1, box: A2 }] }], dets, [0, 1], 0.5, 0.5);
    expect(m).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('matches the highest-IoU ground truth of any class', () => {
    const g: GroundTruthImage[] = [
      {
        imageId: 'x',
        boxes: [
          { classId: 0, box: box(0, 0, 10, 10) },
          { classId: 1, box: box(0, 0, 10, 9) },
        ],
      },
    ];
    // A class-0 prediction with IoU 0.9 with the class-0 box and 1 with the class-1 box:
    // the best IoU wins regardless of class, so it is a 1 -> 0 confusion and A's class-0 box is missed.
    const d = det('x', 0, 0.9, box(0, 0, 10, 9));
    expect(confusionMatrix(g, [d], [0, 1], 0.5, 0.5)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });
});
