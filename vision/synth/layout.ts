/**
 * Places meters in the frame: size, tilt, rotation and position, so that every box is
 * fully inside the image and no two boxes overlap.
 */
import type { Affine, Rect } from './geometry.js';
import { boundsOf, compose, overlaps, rotate, scale, sizeOf, translate } from './geometry.js';
import type { MeterArt } from './meter-art.js';
import type { Rng } from './rng.js';

/** A meter with its placement in image pixels. */
export interface PlacedMeter {
  art: MeterArt;
  /** Meter frame → image pixels. */
  transform: Affine;
  /** Exact bounds of the transformed hull: the label box. */
  box: Rect;
}

/** Inputs of {@link placeMeters}. */
export interface LayoutOptions {
  width: number;
  height: number;
  /** 0..1: wider size range, more rotation and tilt as it grows. */
  difficulty: number;
}

/** Pixels kept free between a box and the image edge, and between two boxes. */
const EDGE = 2;
const GAP = 4;
const TRIES_PER_METER = 40;
const MAX_ROUNDS = 30;

/** Linear map from the meter frame to pixels, before translation: size, squash (tilt), rotation. */
function shapeOf(rng: Rng, art: MeterArt, sizePx: number, difficulty: number): Affine {
  const own = sizeOf(boundsOf(art.hull));
  const s = sizePx / Math.max(own.w, own.h);
  const maxRot = 3 + 15 * difficulty;
  const squash = 1 - rng.range(0, 0.08 + 0.17 * difficulty);
  const axis = rng.range(-90, 90);
  const tilt = compose(rotate(axis), compose(scale(squash, 1), rotate(-axis)));
  return compose(rotate(rng.range(-maxRot, maxRot)), compose(tilt, scale(s)));
}

/**
 * Sizes are drawn from ~10%..45% of the image's short side (the upper end shrinks when
 * several meters must fit). Rejection sampling places each meter; when a round fails,
 * the size range shrinks and all meters are placed again, so this always terminates
 * for the 1–3 meters a combo holds.
 */
export function placeMeters(rng: Rng, arts: readonly MeterArt[], opts: LayoutOptions): PlacedMeter[] {
  const short = Math.min(opts.width, opts.height);
  const d = opts.difficulty;
  const lo = 0.16 - 0.06 * d;
  let hi = [0.45, 0.45, 0.4, 0.34][arts.length] ?? 0.3;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const placed = tryPlace(rng, arts, opts, short * lo, short * Math.max(lo, hi));
    if (placed) return placed;
    hi *= 0.88;
  }
  throw new RangeError(
    `cannot place ${arts.length} meters in ${opts.width}×${opts.height} without overlap; use a larger image or a smaller combo`,
  );
}

function tryPlace(rng: Rng, arts: readonly MeterArt[], opts: LayoutOptions, minPx: number, maxPx: number): PlacedMeter[] | undefined {
  const placed: PlacedMeter[] = [];
  for (const art of arts) {
    let done = false;
    for (let t = 0; t < TRIES_PER_METER && !done; t++) {
      // Bias toward mid sizes: the mean of two uniforms.
      const sizePx = minPx + (maxPx - minPx) * ((rng.next() + rng.next()) / 2);
      const shape = shapeOf(rng, art, sizePx, opts.difficulty);
      const b = boundsOf(art.hull, shape);
      const w = b.x2 - b.x1;
      const h = b.y2 - b.y1;
      if (w > opts.width - 2 * EDGE || h > opts.height - 2 * EDGE) continue;
      const left = rng.range(EDGE, opts.width - EDGE - w);
      const top = rng.range(EDGE, opts.height - EDGE - h);
      const transform = compose(translate(left - b.x1, top - b.y1), shape);
      const box = boundsOf(art.hull, transform);
      if (placed.some((p) => overlaps(p.box, box, GAP))) continue;
      placed.push({ art, transform, box });
      done = true;
    }
    if (!done) return undefined;
  }
  return placed;
}
