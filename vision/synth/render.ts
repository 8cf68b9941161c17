/**
 * `renderRigPhoto`: one deterministic synthetic rig photo with exact boxes.
 */
import sharp from 'sharp';
import { applyEffects, drawEffects } from './photo-effects.js';
import { createRng } from './rng.js';
import { composeScene } from './scene.js';
import type { SynthClass, SynthPhoto } from './types.js';

/** Options of {@link renderRigPhoto}. */
export interface RenderOptions {
  /** Same seed (and options) ⇒ identical JPEG bytes on the same machine and fonts. */
  seed: number;
  /** The exam's classes; `combo` refers to them by key. */
  classes: readonly SynthClass[];
  /** Class keys to draw, one meter each, 0–3 distinct keys. */
  combo: readonly string[];
  /** Pixels; default 640. */
  width?: number;
  /** Pixels; default 480. */
  height?: number;
  /** JPEG quality 1–100; default 90. */
  quality?: number;
  /** 0..1, default 0.5: widens size, tilt, lighting, blur, noise and clutter ranges. */
  difficulty?: number;
  /** 0..1, default 0: share of pointer gauges with a stem, fitting and pipe beneath (not boxed). */
  fittings?: number;
}

/** Resolves combo keys to classes, with errors that say how to fix the call. */
export function resolveCombo(classes: readonly SynthClass[], combo: readonly string[]): SynthClass[] {
  if (combo.length > 3) throw new RangeError(`combo has ${combo.length} keys; a rig photo holds 1–3 meters`);
  if (new Set(combo).size !== combo.length) throw new RangeError(`combo ${JSON.stringify(combo)} repeats a key; each class appears at most once`);
  return combo.map((key) => {
    const c = classes.find((k) => k.key === key);
    if (!c) throw new RangeError(`combo key "${key}" is not a class; known keys: ${classes.map((k) => k.key).join(', ')}`);
    return c;
  });
}

function checkSize(name: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in ${lo}..${hi}, got ${v}`);
  return v;
}

/**
 * Renders a rig photo: background, clutter, the combo's meters (one per class, boxes
 * inside the image and non-overlapping), lighting, noise and blur, encoded as JPEG.
 * Boxes come back in combo order.
 */
export async function renderRigPhoto(opts: RenderOptions): Promise<SynthPhoto> {
  const width = checkSize('width', opts.width ?? 640, 64, 8192);
  const height = checkSize('height', opts.height ?? 480, 64, 8192);
  const quality = checkSize('quality', opts.quality ?? 90, 1, 100);
  const difficulty = opts.difficulty ?? 0.5;
  if (!(difficulty >= 0 && difficulty <= 1)) throw new RangeError(`difficulty must be in 0..1, got ${difficulty}`);
  const classes = resolveCombo(opts.classes, opts.combo);

  const rng = createRng(opts.seed);
  const scene = composeScene(rng.fork(), { width, height, difficulty, classes, ...(opts.fittings ? { fittings: opts.fittings } : {}) });
  const fxRng = rng.fork();
  const fx = drawEffects(fxRng, difficulty);
  const { data, info } = await sharp(Buffer.from(scene.svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  applyEffects(data, info.width, info.height, info.channels, fx, fxRng);
  let img = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  if (fx.blur >= 0.3) img = img.blur(fx.blur);
  const jpeg = await img.jpeg({ quality, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' }).toBuffer();
  return { jpeg, width, height, boxes: scene.boxes };
}
