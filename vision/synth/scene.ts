/**
 * Builds the SVG of one rig photo and its ground-truth boxes (no rasterising here).
 */
import { paintBackdrop } from './background.js';
import { paintClutter } from './clutter.js';
import { paintFitting, hullRadius } from './fittings.js';
import { compose, toSvgMatrix, translate } from './geometry.js';
import { placeMeters } from './layout.js';
import { paintMeter } from './meter.js';
import type { Rng } from './rng.js';
import { n } from './svg.js';
import type { SynthBox, SynthClass } from './types.js';

/** Background of a bare scene: pure magenta, a colour no meter uses, so tests can find meter pixels. */
export const BARE_BACKGROUND = '#ff00ff';

/** Inputs of {@link composeScene}. */
export interface SceneOptions {
  width: number;
  height: number;
  /** 0..1 */
  difficulty: number;
  /** The classes to draw, one meter each, in this order. */
  classes: readonly SynthClass[];
  /**
   * Meters only, on a flat {@link BARE_BACKGROUND}, without shadows, glow or clutter: lets tests
   * compare the drawn pixels with the boxes.
   */
  isBare?: boolean;
  /**
   * 0..1, default 0: share of pointer gauges drawn with a threaded stem, a hex fitting and a
   * pipe beneath them (outside the box). Drawn from a generator forked after every other
   * draw, so a scene with 0 is the same as before this option existed.
   */
  fittings?: number;
}

/** A composed scene: SVG text and one box per requested class. */
export interface Scene {
  svg: string;
  boxes: SynthBox[];
}

/** Composes the scene with draws from `rng` (layout first, then background, clutter, meters). */
export function composeScene(rng: Rng, opts: SceneOptions): Scene {
  const { width, height, difficulty } = opts;
  const arts = opts.classes.map((c, i) => paintMeter(rng.fork(), c.kind, `m${i}`));
  const placed = placeMeters(rng.fork(), arts, { width, height, difficulty });
  const defs: string[] = [];
  const layers: string[] = [];
  if (opts.isBare) {
    layers.push(`<rect width="${width}" height="${height}" fill="${BARE_BACKGROUND}"/>`);
  } else {
    const backdrop = paintBackdrop(rng.fork(), width, height);
    defs.push(backdrop.defs);
    layers.push(backdrop.svg);
    layers.push(paintClutter(rng.fork(), width, height, placed.map((p) => p.box), difficulty));
  }
  const stemsAt = layers.length;
  const shadowRng = rng.fork();
  const sx = shadowRng.range(-1, 1);
  const sy = shadowRng.range(0.2, 1);
  const shadowOpacity = shadowRng.range(0.15, 0.4);
  for (const p of placed) {
    defs.push(p.art.defs);
    const m = toSvgMatrix(p.transform);
    if (!opts.isBare) {
      if (p.art.glow) layers.push(`<g transform="${m}">${p.art.glow}</g>`);
      const reach = Math.max(2, (p.box.x2 - p.box.x1) * 0.03);
      for (const [k, o] of [[1, 1], [1.6, 0.5]] as const) {
        const shifted = compose(translate(sx * reach * k, sy * reach * k), p.transform);
        layers.push(`<path d="${p.art.outline}" transform="${toSvgMatrix(shifted)}" fill="#000" fill-opacity="${n(shadowOpacity * o)}"/>`);
      }
    }
    layers.push(`<g transform="${m}">${p.art.body}</g>`);
  }
  if ((opts.fittings ?? 0) > 0 && !opts.isBare) {
    const fr = rng.fork();
    const stems: string[] = [];
    placed.forEach((p, i) => {
      const kind = opts.classes[i]?.kind ?? '';
      if (!kind.startsWith('gauge') || !fr.chance(opts.fittings ?? 0)) return;
      const f = paintFitting(fr, `f${i}`, hullRadius(p.art.hull));
      defs.push(f.defs);
      stems.push(`<g transform="${toSvgMatrix(p.transform)}">${f.body}</g>`);
    });
    layers.splice(stemsAt, 0, ...stems);
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs>${defs.join('')}</defs>${layers.join('')}</svg>`;
  const boxes = placed.map((p, i) => ({ classId: opts.classes[i]?.id ?? -1, ...p.box }));
  return { svg, boxes };
}
