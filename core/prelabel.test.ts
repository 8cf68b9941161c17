import { describe, expect, it } from 'vitest';
import { prelabel, selectDetections, type Detection } from './prelabel.js';

const SIZE = { width: 640, height: 480 };

/** A detection well inside a 640×480 image, at column `slot` so boxes never overlap. */
function det(classId: number, score: number, slot = 0): Detection {
  const x1 = 40 + slot * 110;
  return { classId, score, box: { x1, y1: 100, x2: x1 + 100, y2: 300 } };
}

const classesOf = (r: ReturnType<typeof prelabel>) => r.boxes.map((b) => b.classId);

describe('prelabel: classes constrained by the combo', () => {
  it('gives every box of a single-class photo that class, keeping the model label and score', () => {
    const r = prelabel([det(0, 0.8, 0), det(2, 0.5, 1)], [1], SIZE);
    expect(classesOf(r)).toEqual([1, 1]);
    expect(r.boxes.map((b) => b.modelClassId)).toEqual([0, 2]);
    expect(r.boxes.map((b) => b.score)).toEqual([0.8, 0.5]);
    expect(r.flags).toEqual([{ kind: 'too-many-boxes', count: 2, expected: 1 }]);
  });

  it('keeps both labels of a pair when the model found both', () => {
    const r = prelabel([det(2, 0.7, 0), det(0, 0.9, 1)], [0, 2], SIZE);
    expect(classesOf(r)).toEqual([0, 2]);
    expect(r.boxes[0]?.score).toBe(0.9);
    expect(r.flags).toEqual([]);
  });

  it('moves the weaker of two same-labelled boxes of a pair to the missing class', () => {
    const r = prelabel([det(0, 0.8, 0), det(0, 0.9, 1)], [0, 1], SIZE);
    expect(r.boxes.map((b) => [b.score, b.classId, b.modelClassId])).toEqual([
      [0.9, 0, 0],
      [0.8, 1, 0],
    ]);
    expect(r.flags).toEqual([]);
  });

  it('leaves a weak same-labelled box alone and flags the missing class instead', () => {
    const r = prelabel([det(0, 0.9, 0), det(0, 0.35, 1)], [0, 1], SIZE);
    expect(classesOf(r)).toEqual([0, 0]);
    expect(r.flags).toEqual([{ kind: 'missing-class', classIds: [1] }]);
    const lower = prelabel([det(0, 0.9, 0), det(0, 0.35, 1)], [0, 1], SIZE, { minReassignScore: 0.3 });
    expect(classesOf(lower)).toEqual([0, 1]);
  });

  it('prefers a box the model labelled with the free class over relabelling a stronger one', () => {
    // 0.9 + 0.5 (box labelled 1) beats 0.9 + 0.85 × 0.3 (relabelling the second 0).
    const r = prelabel([det(0, 0.9, 0), det(0, 0.85, 1), det(1, 0.5, 2)], [0, 1], SIZE);
    expect(classesOf(r)).toEqual([0, 0, 1]);
    expect(r.flags).toEqual([{ kind: 'too-many-boxes', count: 3, expected: 2 }]);
  });

  it('remaps a label outside the combo to the class still free', () => {
    const r = prelabel([det(2, 0.9, 0), det(0, 0.8, 1)], [0, 1], SIZE);
    expect(classesOf(r)).toEqual([1, 0]);
    expect(r.boxes[0]?.modelClassId).toBe(2);
    expect(r.flags).toEqual([]);
  });

  it('flags the class of a triple that got no box', () => {
    const r = prelabel([det(0, 0.9, 0), det(1, 0.8, 1)], [0, 1, 2], SIZE);
    expect(classesOf(r)).toEqual([0, 1]);
    expect(r.flags).toEqual([{ kind: 'missing-class', classIds: [2] }]);
  });

  it('spreads extra boxes with labels outside the combo over the classes with fewest boxes', () => {
    const r = prelabel([det(0, 0.9, 0), det(1, 0.8, 1), det(3, 0.7, 2), det(4, 0.6, 3)], [0, 1], SIZE);
    // Matching: 0→box0, 1→box1; extras: box2 → 0 (tie, lowest id), box3 → 1 (fewest).
    expect(classesOf(r)).toEqual([0, 1, 0, 1]);
  });

  it('does not depend on the order of its input', () => {
    const dets = [det(0, 0.6, 0), det(2, 0.9, 1), det(0, 0.75, 2), det(1, 0.45, 3)];
    const a = prelabel(dets, [0, 1, 2], SIZE);
    const b = prelabel([...dets].reverse(), [0, 1, 2], SIZE);
    expect(b).toEqual(a);
    expect(classesOf(a)).toEqual([2, 0, 0, 1]);
  });

  it('keeps at most combo size + 2 boxes by score, or maxBoxes', () => {
    const dets = [0.3, 0.9, 0.5, 0.7, 0.4].map((s, i) => det(0, s, i));
    const r = prelabel(dets, [0], SIZE);
    expect(r.boxes.map((b) => b.score)).toEqual([0.9, 0.7, 0.5]);
    expect(r.flags).toEqual([{ kind: 'too-many-boxes', count: 3, expected: 1 }]);
    expect(prelabel(dets, [0], SIZE, { maxBoxes: 1 }).flags).toEqual([]);
  });

  it('flags only missing classes when there are no detections', () => {
    expect(prelabel([], [2, 0], SIZE)).toEqual({ boxes: [], flags: [{ kind: 'missing-class', classIds: [0, 2] }] });
  });

  it('refuses an empty combo and a bad image size', () => {
    expect(() => prelabel([], [], SIZE)).toThrow(RangeError);
    expect(() => prelabel([], [0], { width: 0, height: 10 })).toThrow(/image size/);
  });
});

describe('prelabel: per-box flags', () => {
  const at = (x1: number, y1: number, x2: number, y2: number, score = 0.9): Detection => ({
    classId: 0,
    score,
    box: { x1, y1, x2, y2 },
  });
  const flagsOf = (d: Detection) => prelabel([d], [0], SIZE).boxes[0]?.flags;

  it('flags boxes within 2 px of an edge', () => {
    expect(flagsOf(at(2, 100, 200, 300))).toEqual(['touches-border']);
    expect(flagsOf(at(3, 100, 200, 300))).toEqual([]);
    expect(flagsOf(at(100, 100, 638, 300))).toEqual(['touches-border']);
    expect(flagsOf(at(100, 100, 637, 477))).toEqual([]);
    expect(flagsOf(at(100, 0, 200, 300))).toEqual(['touches-border']);
    expect(flagsOf(at(100, 100, 200, 480, 0.5))).toEqual(['touches-border']);
    expect(prelabel([at(2, 100, 200, 300)], [0], SIZE, { borderMarginPx: 0 }).boxes[0]?.flags).toEqual([]);
  });

  it('flags boxes under 0.2 % of the image or with a side under 12 px', () => {
    // 0.2 % of 640×480 is 614.4 px².
    expect(flagsOf(at(100, 100, 124, 125))).toEqual(['tiny-box']); // 600 px²
    expect(flagsOf(at(100, 100, 125, 125))).toEqual([]); // 625 px²
    expect(flagsOf(at(100, 100, 111, 300))).toEqual(['tiny-box']); // 11 px wide
    expect(flagsOf(at(100, 100, 112, 300))).toEqual([]);
    expect(flagsOf(at(0, 100, 5, 110))).toEqual(['touches-border', 'tiny-box']);
  });
});

describe('selectDetections', () => {
  const base = { scoreThreshold: 0.3, nmsIou: 0.5, scaleX: 2, scaleY: 3, width: 200, height: 300 };
  const raw = (classId: number, score: number, x1: number, y1: number, x2: number, y2: number): Detection => ({
    classId,
    score,
    box: { x1, y1, x2, y2 },
  });

  it('scales, clamps, cuts at the threshold (inclusive) and sorts by score', () => {
    const out = selectDetections(
      [raw(1, 0.3, 10, 10, 20, 20), raw(0, 0.29, 30, 30, 40, 40), raw(2, 0.8, 90, 90, 120, 120)],
      base,
    );
    expect(out).toEqual([
      { classId: 2, score: 0.8, box: { x1: 180, y1: 270, x2: 200, y2: 300 } },
      { classId: 1, score: 0.3, box: { x1: 20, y1: 30, x2: 40, y2: 60 } },
    ]);
  });

  it('drops a duplicate of a better box even when its label differs', () => {
    const out = selectDetections([raw(1, 0.7, 10, 10, 50, 50), raw(0, 0.9, 11, 11, 51, 51), raw(1, 0.6, 60, 10, 90, 50)], base);
    expect(out.map((d) => [d.classId, d.score])).toEqual([
      [0, 0.9],
      [1, 0.6],
    ]);
  });

  it('drops boxes outside the image and non-finite values', () => {
    const out = selectDetections(
      [raw(0, 0.9, 150, 10, 160, 20), raw(0, Number.NaN, 1, 1, 5, 5), raw(0, 0.9, 1, 1, Number.POSITIVE_INFINITY, 5), raw(-1, 0.9, 1, 1, 5, 5)],
      base,
    );
    expect(out).toEqual([]);
  });

  const plain = { scoreThreshold: 0.3, nmsIou: 0.5, scaleX: 1, scaleY: 1, width: 1000, height: 1000 };

  it('votes: a kept box becomes the score²-weighted mean of the candidates overlapping it, weak ones included', () => {
    const cands = [raw(0, 0.9, 100, 100, 200, 200), raw(0, 0.3, 110, 110, 210, 210), raw(1, 0.1, 100, 100, 220, 200)];
    const off = selectDetections(cands, plain);
    expect(off.map((d) => d.box)).toEqual([{ x1: 100, y1: 100, x2: 200, y2: 200 }]);
    const [on] = selectDetections(cands, { ...plain, voteIou: 0.6 });
    // weights 0.81, 0.09; the 0.1 box (IoU 0.83 with the kept one, label 1) also votes with 0.01
    const w = 0.81 + 0.09 + 0.01;
    expect(on?.score).toBe(0.9);
    expect(on?.classId).toBe(0);
    expect(on?.box.x1).toBeCloseTo((0.81 * 100 + 0.09 * 110 + 0.01 * 100) / w, 6);
    expect(on?.box.x2).toBeCloseTo((0.81 * 200 + 0.09 * 210 + 0.01 * 220) / w, 6);
    expect(on?.box.y2).toBeCloseTo((0.81 * 200 + 0.09 * 210 + 0.01 * 200) / w, 6);
    // a stricter IoU leaves the 0.3 box (IoU 0.68) out
    const [strict] = selectDetections(cands, { ...plain, voteIou: 0.8 });
    expect(strict?.box.x1).toBeCloseTo((0.81 * 100 + 0.01 * 100) / 0.82, 6);
    // below voteMinScore a candidate has no say
    const [floor] = selectDetections(cands, { ...plain, voteIou: 0.8, voteMinScore: 0.2 });
    expect(floor?.box).toEqual({ x1: 100, y1: 100, x2: 200, y2: 200 });
  });

  it('never returns two boxes overlapping more than nmsIou, even when voting pulls them together', () => {
    // two kept boxes (IoU 0.33) and ten weak candidates between them (IoU 0.6 with each)
    const between = Array.from({ length: 10 }, () => raw(1, 0.3, 125, 100, 225, 200));
    const cands = [raw(0, 0.9, 100, 100, 200, 200), raw(1, 0.9, 150, 100, 250, 200), ...between];
    const options = { ...plain, scoreThreshold: 0.5, voteIou: 0.6 };
    const out = selectDetections(cands, options);
    // voted alone they would be [113.2, 213.2] and [136.8, 236.8], IoU 0.62: one object, kept once
    expect(out).toHaveLength(1);
    expect(out[0]?.classId).toBe(0);
    expect(out[0]?.box.x1).toBeCloseTo((0.81 * 100 + 10 * 0.09 * 125) / (0.81 + 10 * 0.09), 6);
    // the same layout without the weak candidates keeps both
    expect(selectDetections(cands.slice(0, 2), options)).toHaveLength(2);
  });

  it('drops a part lying mostly inside a better box (a half dial), keeps neighbours and the whole meter', () => {
    const whole = raw(0, 0.9, 100, 100, 300, 300);
    const half = raw(0, 0.5, 110, 100, 290, 190); // entirely inside, IoU 0.4: NMS keeps it
    const stem = raw(0, 0.4, 180, 250, 220, 360); // half inside, hanging from the lower half: a stem
    const neighbour = raw(1, 0.8, 320, 100, 500, 300);
    expect(selectDetections([whole, half, stem, neighbour], plain)).toHaveLength(4);
    const out = selectDetections([whole, half, stem, neighbour], { ...plain, containedShare: 0.7 });
    expect(out.map((d) => d.score)).toEqual([0.9, 0.8]);
    // a stem or fitting hanging below the meter goes; a meter mounted a gap below another stays
    const stem2 = raw(0, 0.85, 170, 260, 230, 380);
    const below = raw(0, 0.6, 120, 340, 280, 500);
    const small = raw(0, 0.6, 150, 340, 250, 420);
    expect(selectDetections([whole, stem2, below], { ...plain, containedShare: 0.7 }).map((d) => d.score)).toEqual([0.9, 0.6]);
    expect(selectDetections([whole, small], { ...plain, containedShare: 0.7 }).map((d) => d.score)).toEqual([0.9, 0.6]);
    // the better box is kept even when the weaker one contains it
    const inner = selectDetections([raw(0, 0.9, 110, 100, 290, 190), raw(0, 0.5, 100, 100, 300, 300)], { ...plain, containedShare: 0.7 });
    expect(inner.map((d) => d.score)).toEqual([0.9, 0.5]);
  });
});
