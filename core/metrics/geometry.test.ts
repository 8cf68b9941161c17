import { describe, expect, it } from 'vitest';
import { area, clampBox, iou, isTouchingBorder, nms, nmsPerClass, sortByScoreDesc, type Box } from './geometry.js';

const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });

describe('area and iou', () => {
  it('computes area in square pixels and 0 for degenerate boxes', () => {
    expect(area(box(10, 20, 40, 30))).toBe(300);
    expect(area(box(10, 10, 10, 30))).toBe(0);
    expect(area(box(10, 10, 5, 30))).toBe(0);
  });

  it('is 1 for identical boxes and symmetric', () => {
    const a = box(3, 4, 17, 29);
    expect(iou(a, a)).toBe(1);
    const b = box(5, 0, 15, 10);
    expect(iou(a, b)).toBe(iou(b, a));
  });

  it('computes partial overlap: inter 50, union 150', () => {
    expect(iou(box(0, 0, 10, 10), box(5, 0, 15, 10))).toBeCloseTo(1 / 3, 15);
  });

  it('is exactly 0.5 for a half box inside the other', () => {
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 5))).toBe(0.5);
  });

  it('is 0 for disjoint, edge-touching and degenerate boxes', () => {
    expect(iou(box(0, 0, 10, 10), box(20, 20, 30, 30))).toBe(0);
    expect(iou(box(0, 0, 10, 10), box(10, 0, 20, 10))).toBe(0);
    expect(iou(box(5, 5, 5, 5), box(5, 5, 5, 5))).toBe(0);
  });
});

describe('clampBox', () => {
  it('clips to the image', () => {
    expect(clampBox(box(-5, 10, 120, 90), 100, 80)).toEqual(box(0, 10, 100, 80));
  });

  it('returns the box unchanged when inside', () => {
    expect(clampBox(box(1, 2, 3, 4), 100, 80)).toEqual(box(1, 2, 3, 4));
  });

  it('returns null when nothing is left inside', () => {
    expect(clampBox(box(110, 10, 150, 20), 100, 80)).toBeNull();
    expect(clampBox(box(-20, 10, 0, 20), 100, 80)).toBeNull();
  });
});

describe('isTouchingBorder', () => {
  it('detects boxes reaching an edge with the default margin of 0', () => {
    expect(isTouchingBorder(box(0, 10, 20, 20), 100, 80)).toBe(true);
    expect(isTouchingBorder(box(10, 10, 100, 20), 100, 80)).toBe(true);
    expect(isTouchingBorder(box(10, 10, 20, 80), 100, 80)).toBe(true);
    expect(isTouchingBorder(box(1, 1, 99, 79), 100, 80)).toBe(false);
  });

  it('treats the margin as inclusive', () => {
    expect(isTouchingBorder(box(5, 10, 20, 20), 100, 80, 5)).toBe(true);
    expect(isTouchingBorder(box(6, 10, 20, 20), 100, 80, 5)).toBe(false);
    expect(isTouchingBorder(box(10, 10, 20, 75), 100, 80, 5)).toBe(true);
  });
});

describe('nms', () => {
  const a = { box: box(0, 0, 10, 10), score: 0.9, classId: 0, tag: 'a' };
  // IoU with a: inter 90, union 110 -> 0.818
  const b = { box: box(1, 0, 11, 10), score: 0.8, classId: 1, tag: 'b' };
  const far = { box: box(50, 50, 60, 60), score: 0.95, classId: 0, tag: 'far' };

  it('keeps the best of overlapping boxes, highest score first, extra fields preserved', () => {
    expect(nms([b, a, far], 0.5).map((d) => d.tag)).toEqual(['far', 'a']);
  });

  it('suppresses across classes, but nmsPerClass only within a class', () => {
    expect(nms([a, b], 0.5).map((d) => d.tag)).toEqual(['a']);
    expect(nmsPerClass([a, b], 0.5).map((d) => d.tag)).toEqual(['a', 'b']);
    const sameClass = { ...b, classId: 0 };
    expect(nmsPerClass([a, sameClass], 0.5).map((d) => d.tag)).toEqual(['a']);
  });

  it('suppresses only when IoU is strictly above the threshold', () => {
    const half = { box: box(0, 0, 10, 5), score: 0.5, classId: 0, tag: 'half' };
    expect(nms([a, half], 0.5).map((d) => d.tag)).toEqual(['a', 'half']);
    expect(nms([a, half], 0.49).map((d) => d.tag)).toEqual(['a']);
  });

  it('breaks score ties by input order', () => {
    const first = { ...a, score: 0.7, tag: 'first' };
    const second = { ...b, score: 0.7, tag: 'second' };
    expect(nms([first, second], 0.5).map((d) => d.tag)).toEqual(['first']);
    expect(nms([second, first], 0.5).map((d) => d.tag)).toEqual(['second']);
  });

  it('handles empty input and does not modify the input', () => {
    expect(nms([], 0.5)).toEqual([]);
    const input = [b, a];
    nms(input, 0.5);
    expect(input.map((d) => d.tag)).toEqual(['b', 'a']);
  });
});

describe('sortByScoreDesc', () => {
  it('is stable for equal scores', () => {
    const items = [0.5, 0.9, 0.5, 0.9].map((score, i) => ({ score, i }));
    expect(sortByScoreDesc(items).map((x) => x.i)).toEqual([1, 3, 0, 2]);
  });
});
