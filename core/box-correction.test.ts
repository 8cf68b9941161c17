import { describe, expect, it } from 'vitest';
import { applyOffsets, correctBoxes, learnCorrections, pairsOf, type CorrectionPair } from './box-correction.js';
import { iou } from './metrics/index.js';

/** A model box around a meter at (x, y) of size s that is loose the same way every time: 10 % too low at the bottom, 5 % too wide left. */
const loosePair = (x: number, y: number, s: number, classId = 0, jitter = 0): CorrectionPair => ({
  classId,
  confirmed: { x1: x, y1: y, x2: x + s, y2: y + s },
  proposed: { x1: x - 0.05 * s + jitter, y1: y, x2: x + s, y2: y + 1.1 * s - jitter },
});

describe('pairsOf', () => {
  it('pairs each confirmed box with the best model box of its class from IoU 0.5', () => {
    const pairs = pairsOf(
      [
        { classId: 0, x1: 0, y1: 0, x2: 100, y2: 100 },
        { classId: 1, x1: 5, y1: 5, x2: 105, y2: 105 }, // other class: not a pair for class 0
        { classId: 0, x1: 500, y1: 500, x2: 520, y2: 520 }, // nothing near it
      ],
      [
        { classId: 0, x1: 2, y1: 2, x2: 102, y2: 98 },
        { classId: 2, x1: 300, y1: 300, x2: 400, y2: 400 },
      ],
    );
    expect(pairs).toEqual([{ classId: 0, proposed: { x1: 0, y1: 0, x2: 100, y2: 100 }, confirmed: { x1: 2, y1: 2, x2: 102, y2: 98 } }]);
  });
});

describe('learnCorrections', () => {
  it('learns a class’s consistent offset from three photos and tightens the next box', () => {
    const pairs = [loosePair(100, 100, 200, 0, 1), loosePair(400, 120, 180, 0, -1), loosePair(250, 300, 220)];
    const got = learnCorrections(pairs);
    const c = got.get(0);
    expect(c?.pairs).toBe(3);
    expect(c?.gain).toBeGreaterThan(0.05);
    const next = loosePair(600, 200, 150);
    const before = iou(next.proposed, next.confirmed);
    const after = iou(applyOffsets(next.proposed, c!.offsets), next.confirmed);
    expect(before).toBeLessThan(0.9);
    expect(after).toBeGreaterThan(0.97);
  });

  it('needs three pairs of a class, and adopts nothing that does not win when left out', () => {
    expect(learnCorrections([loosePair(100, 100, 200), loosePair(400, 120, 180)]).size).toBe(0);
    // Tight already: the correction gains nothing.
    const tight = (x: number): CorrectionPair => ({ classId: 0, proposed: { x1: x, y1: 0, x2: x + 100, y2: 100 }, confirmed: { x1: x, y1: 0, x2: x + 100, y2: 100 } });
    expect(learnCorrections([tight(0), tight(200), tight(400)]).size).toBe(0);
    // Errors that disagree (one photo loose left, the next loose right): leaving one out predicts it wrong.
    const mixed: CorrectionPair[] = [0, 1, 2, 3].map((i) => ({
      classId: 0,
      confirmed: { x1: 100, y1: 100, x2: 200, y2: 200 },
      proposed: i % 2 ? { x1: 85, y1: 100, x2: 200, y2: 200 } : { x1: 100, y1: 100, x2: 215, y2: 200 },
    }));
    expect(learnCorrections(mixed).size).toBe(0);
  });

  it('keeps classes apart and only the newest pairs of each', () => {
    const old = [0, 1, 2].map((i) => loosePair(100 + 300 * i, 100, 200, 1)); // class 1 loose
    const got = learnCorrections([...old, ...[0, 1, 2].map((i) => loosePair(50 * i, 500, 100, 0))], { maxPairs: 3 });
    expect([...got.keys()].sort()).toEqual([0, 1]);
    // Newest first: with maxPairs 3, three tight pairs in front hide the loose ones behind them.
    const tight = [0, 1, 2].map((i): CorrectionPair => ({ classId: 1, proposed: { x1: i, y1: 0, x2: i + 50, y2: 50 }, confirmed: { x1: i, y1: 0, x2: i + 50, y2: 50 } }));
    expect(learnCorrections([...tight, ...old], { maxPairs: 3 }).has(1)).toBe(false);
  });
});

describe('correctBoxes', () => {
  it('moves only boxes of corrected classes, inside the photo', () => {
    const corrections = learnCorrections([loosePair(100, 100, 200), loosePair(400, 120, 180), loosePair(250, 300, 220)]);
    const boxes = [
      { classId: 0, score: 0.9, x1: 0, y1: 800, x2: 210, y2: 1000 },
      { classId: 3, score: 0.8, x1: 10, y1: 10, x2: 50, y2: 50 },
    ];
    const out = correctBoxes(boxes, corrections, 1000, 1000);
    expect(out[1]).toEqual(boxes[1]);
    expect(out[0]?.score).toBe(0.9);
    // learnt: x1 +1/21 of the width, y2 −1/11 of the height
    expect(out[0]?.x1).toBeCloseTo(10, 5);
    expect(out[0]?.y2).toBeCloseTo(1000 - 200 / 11, 5);
    // a correction that would leave the photo is clamped to it
    const outward = learnCorrections([0, 1, 2].map((i) => ({ classId: 0, proposed: { x1: 100 + i, y1: 100, x2: 200 + i, y2: 200 }, confirmed: { x1: 90 + i, y1: 100, x2: 200 + i, y2: 200 } })));
    expect(correctBoxes([{ classId: 0, x1: 5, y1: 0, x2: 105, y2: 100 }], outward, 1000, 1000)[0]?.x1).toBe(0);
  });
});
