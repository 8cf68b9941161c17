/**
 * Plane geometry for placing meters: 2-D affine matrices and exact axis-aligned
 * bounding boxes of transformed outlines.
 *
 * An outline is described as the convex hull of discs (`r = 0` is a point). Under an
 * affine map a disc becomes an ellipse whose extent along x is `r·√(a² + c²)` and
 * along y `r·√(b² + d²)`, so the box of the hull after rotation, scale and skew is
 * exact — not a sampled approximation.
 */

/** SVG-order affine matrix `[a, b, c, d, e, f]`: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Affine = readonly [number, number, number, number, number, number];

/** A disc of radius `r` (pixels, in the meter's own frame) centred at (x, y). */
export interface Disc {
  x: number;
  y: number;
  r: number;
}

/** Axis-aligned rectangle in pixels; x2/y2 are the far edges (floats). */
export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The identity matrix. */
export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** Returns `m ∘ n`: apply `n` first, then `m`. */
export function compose(m: Affine, n: Affine): Affine {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** Translation by (tx, ty) pixels. */
export function translate(tx: number, ty: number): Affine {
  return [1, 0, 0, 1, tx, ty];
}

/** SVG `rotate(deg)`: positive degrees turn clockwise on screen (y points down). */
export function rotate(deg: number): Affine {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [c, s, -s, c, 0, 0];
}

/** Scale by sx along x and sy along y. */
export function scale(sx: number, sy: number = sx): Affine {
  return [sx, 0, 0, sy, 0, 0];
}

/** Formats a matrix for an SVG `transform` attribute. */
export function toSvgMatrix(m: Affine): string {
  return `matrix(${m.map((v) => round(v, 6)).join(' ')})`;
}

/** Applies `m` to a point. */
export function applyPoint(m: Affine, x: number, y: number): { x: number; y: number } {
  return { x: m[0] * x + m[2] * y + m[4], y: m[1] * x + m[3] * y + m[5] };
}

/** Exact axis-aligned bounding box of the hull of `discs` after applying `m`. */
export function boundsOf(discs: readonly Disc[], m: Affine = IDENTITY): Rect {
  if (discs.length === 0) throw new RangeError('boundsOf() needs at least one disc');
  const rx = Math.hypot(m[0], m[2]);
  const ry = Math.hypot(m[1], m[3]);
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const d of discs) {
    const p = applyPoint(m, d.x, d.y);
    x1 = Math.min(x1, p.x - d.r * rx);
    x2 = Math.max(x2, p.x + d.r * rx);
    y1 = Math.min(y1, p.y - d.r * ry);
    y2 = Math.max(y2, p.y + d.r * ry);
  }
  return { x1, y1, x2, y2 };
}

/** The hull discs of a rounded rectangle of size w×h centred at the origin, corner radius `r`. */
export function roundedRectDiscs(w: number, h: number, r: number): Disc[] {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  const hx = w / 2 - rr;
  const hy = h / 2 - rr;
  return [
    { x: -hx, y: -hy, r: rr },
    { x: hx, y: -hy, r: rr },
    { x: hx, y: hy, r: rr },
    { x: -hx, y: hy, r: rr },
  ];
}

/** True when the rectangles share interior area once each is grown by `gap` pixels on every side. */
export function overlaps(a: Rect, b: Rect, gap = 0): boolean {
  return a.x1 - gap < b.x2 && b.x1 - gap < a.x2 && a.y1 - gap < b.y2 && b.y1 - gap < a.y2;
}

/** Width and height of a rectangle. */
export function sizeOf(r: Rect): { w: number; h: number } {
  return { w: r.x2 - r.x1, h: r.y2 - r.y1 };
}

/** Rounds to `digits` decimals (keeps SVG text short and deterministic). */
export function round(v: number, digits = 2): number {
  const k = 10 ** digits;
  const out = Math.round(v * k) / k;
  return Object.is(out, -0) ? 0 : out;
}
