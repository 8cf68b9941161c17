import { describe, expect, it } from 'vitest';
import { boundsOf, compose, overlaps, rotate, roundedRectDiscs, scale, translate } from './geometry.js';

describe('boundsOf', () => {
  it('keeps a disc box unchanged by rotation', () => {
    const b = boundsOf([{ x: 0, y: 0, r: 10 }], compose(translate(50, 60), rotate(33)));
    expect(b.x1).toBeCloseTo(40);
    expect(b.x2).toBeCloseTo(60);
    expect(b.y1).toBeCloseTo(50);
    expect(b.y2).toBeCloseTo(70);
  });

  it('gives the exact box of a rotated square (45° → diagonal)', () => {
    const b = boundsOf(roundedRectDiscs(20, 20, 0), rotate(45));
    expect(b.x2 - b.x1).toBeCloseTo(20 * Math.SQRT2);
    expect(b.y2 - b.y1).toBeCloseTo(20 * Math.SQRT2);
  });

  it('gives the exact box of a rotated ellipse (squashed disc)', () => {
    // Ellipse semi-axes a=10 (x), b=5 (y), rotated 30°: half-width = √(a²cos² + b²sin²).
    const m = compose(rotate(30), scale(10, 5));
    const b = boundsOf([{ x: 0, y: 0, r: 1 }], m);
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect((b.x2 - b.x1) / 2).toBeCloseTo(Math.sqrt(100 * c * c + 25 * s * s));
    expect((b.y2 - b.y1) / 2).toBeCloseTo(Math.sqrt(100 * s * s + 25 * c * c));
  });

  it('includes the corner radius of a rounded rectangle', () => {
    const b = boundsOf(roundedRectDiscs(40, 20, 5));
    expect(b).toEqual({ x1: -20, y1: -10, x2: 20, y2: 10 });
  });
});

describe('overlaps', () => {
  it('respects the gap', () => {
    const a = { x1: 0, y1: 0, x2: 10, y2: 10 };
    const b = { x1: 12, y1: 0, x2: 20, y2: 10 };
    expect(overlaps(a, b)).toBe(false);
    expect(overlaps(a, b, 3)).toBe(true);
  });
});
