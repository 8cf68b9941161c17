/**
 * Data for the `prelabel-real` bench: the real-gauges photos (CC BY 4.0, see its README and
 * ours) split by file name — g001–g057 may train a station model, g058 and up are only
 * measured — with their ignore regions, and same-rig sequences: photos of one set of meters
 * taken again and again, as an exam rig gives.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom, type ExamConfig } from '../../core/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { REAL_GAUGES } from './check-data.js';

/** A box in photo pixels with an exam class id. */
export interface TruthBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A photo with its true boxes, the exam combo it belongs to (class keys) and regions to ignore. */
export interface TruthPhoto {
  name: string;
  jpeg: Buffer;
  width: number;
  height: number;
  combo: string[];
  boxes: TruthBox[];
  /** Gauges seen but not boxed: a proposal mainly inside one is neither right nor false. */
  ignore: Array<Omit<TruthBox, 'classId'>>;
}

/** First file number of the measurement half (the issue: measure only on the second half). */
export const MEASURE_FROM = 58;

/** The exam class the real set's one class (a pointer gauge) maps to. */
export function pointerGaugeClass(exam: ExamConfig): { id: number; key: string } {
  const c = exam.classes.find((k) => k.kind === 'gauge-normal') ?? exam.classes.find((k) => k.key === 'gauge_normal') ?? exam.classes[0];
  if (!c) throw new Error('the exam config has no classes');
  return { id: c.id, key: c.key };
}

function ignoreRegions(dir: string): Map<string, TruthPhoto['ignore']> {
  const out = new Map<string, TruthPhoto['ignore']>();
  const file = join(dir, 'ignore.tsv');
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [image, x1, y1, x2, y2] = line.split('\t');
    if (!image || y2 === undefined) continue;
    const list = out.get(image.slice(0, 4)) ?? [];
    list.push({ x1: Number(x1), y1: Number(y1), x2: Number(x2), y2: Number(y2) });
    out.set(image.slice(0, 4), list);
  }
  return out;
}

/**
 * The real-gauges photos of one half (`train`: g001–g057, `measure`: g058 and up, `all`), in
 * file-name order, boxes mapped to the exam's pointer-gauge class; [] when the set is absent.
 */
export function realGauges(exam: ExamConfig, half: 'train' | 'measure' | 'all', dir = REAL_GAUGES): TruthPhoto[] {
  if (!existsSync(join(dir, 'images'))) return [];
  const cls = pointerGaugeClass(exam);
  const ignore = ignoreRegions(dir);
  return readdirSync(join(dir, 'images'))
    .filter((f) => /^g\d{3}\.jpg$/.test(f))
    .filter((f) => half === 'all' || (Number(f.slice(1, 4)) >= MEASURE_FROM) === (half === 'measure'))
    .sort()
    .map((f) => {
      const stem = f.slice(0, 4);
      const size = 416; // every photo of the set (its README); YOLO fractions of it
      const boxes = readFileSync(join(dir, 'labels', `${stem}.txt`), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => {
          const [, cx, cy, w, h] = l.trim().split(/\s+/).map(Number) as [number, number, number, number, number];
          return { classId: cls.id, x1: (cx - w / 2) * size, y1: (cy - h / 2) * size, x2: (cx + w / 2) * size, y2: (cy + h / 2) * size };
        });
      return { name: stem, jpeg: readFileSync(join(dir, 'images', f)), width: size, height: size, combo: [cls.key], boxes, ignore: ignore.get(stem) ?? [] };
    });
}

/**
 * `n` photos of the same meters: the contestant steps around the rig — each photo frames
 * the meters differently (zoom, shift), with other light (gain, gamma), sometimes a little
 * camera shake, other JPEG settings — output `outW`×`outH`. With `stepBack`, every other view or so the
 * contestant has stepped back: the framed meters fill 45–85 % of the frame at some place on
 * the rig's panel (a flat surround in the photo's own border colour). Without that, views of
 * a meter that fills its photo differ too little and cleaning refuses nearly all of them as
 * near duplicates. The boxes follow exactly: every view is an axis-aligned crop that holds all
 * of them, scaled and placed.
 */
export async function rigViews(base: TruthPhoto, n: number, seed: number, outW: number, outH: number, stepBack = true): Promise<TruthPhoto[]> {
  const rnd = seededRandom(seed);
  const ux1 = Math.min(...base.boxes.map((b) => b.x1));
  const uy1 = Math.min(...base.boxes.map((b) => b.y1));
  const ux2 = Math.max(...base.boxes.map((b) => b.x2));
  const uy2 = Math.max(...base.boxes.map((b) => b.y2));
  const aspect = outW / outH;
  const views: TruthPhoto[] = [];
  for (let i = 0; i < n; i++) {
    // The crop: the same aspect as the output, big enough for every box plus a margin, at most the photo.
    const need = Math.max((ux2 - ux1) * 1.08, ((uy2 - uy1) * 1.08) * aspect);
    const maxW = Math.min(base.width, base.height * aspect);
    const cw = Math.min(maxW, need + (maxW - need) * (0.15 + 0.85 * rnd()));
    const ch = cw / aspect;
    const left = Math.max(0, Math.min(base.width - cw, ux2 - cw + (ux1 - (ux2 - cw)) * rnd()));
    const top = Math.max(0, Math.min(base.height - ch, uy2 - ch + (uy1 - (uy2 - ch)) * rnd()));
    const [l, t, w, h] = [Math.round(left), Math.round(top), Math.max(1, Math.round(cw)), Math.max(1, Math.round(ch))];
    const sx = outW / w;
    const sy = outH / h;
    let img = sharp(base.jpeg).extract({ left: l, top: t, width: Math.min(w, base.width - l), height: Math.min(h, base.height - t) }).resize(outW, outH, { fit: 'fill' });
    // Stepped back: the framed view smaller, somewhere on the panel.
    let [kx, ky, dx, dy] = [1, 1, 0, 0];
    if (stepBack && rnd() < 0.6) {
      const scale = 0.45 + 0.4 * rnd();
      const [vw, vh] = [Math.round(outW * scale), Math.round(outH * scale)];
      const view = await img.resize(vw, vh, { fit: 'fill' }).png().toBuffer();
      const { channels } = await sharp(view).stats();
      const [r, g, b] = channels.map((c) => Math.round(c.mean));
      dx = Math.round((outW - vw) * rnd());
      dy = Math.round((outH - vh) * rnd());
      img = sharp(view).extend({ left: dx, top: dy, right: outW - vw - dx, bottom: outH - vh - dy, background: { r: r ?? 128, g: g ?? 128, b: b ?? 128 } });
      [kx, ky] = [vw / outW, vh / outH];
    }
    img = img.linear(0.75 + 0.5 * rnd(), -20 + 40 * rnd()).gamma(1 + 0.8 * rnd());
    if (rnd() < 0.3) img = img.blur(0.5 + rnd());
    const jpeg = await img.jpeg({ quality: Math.round(78 + 16 * rnd()) }).toBuffer();
    const clampX = (v: number) => Math.max(0, Math.min(outW, v));
    const clampY = (v: number) => Math.max(0, Math.min(outH, v));
    views.push({
      name: `${base.name}-v${i + 1}`,
      jpeg,
      width: outW,
      height: outH,
      combo: base.combo,
      boxes: base.boxes.map((b) => ({
        classId: b.classId,
        x1: dx + kx * clampX((b.x1 - l) * sx),
        y1: dy + ky * clampY((b.y1 - t) * sy),
        x2: dx + kx * clampX((b.x2 - l) * sx),
        y2: dy + ky * clampY((b.y2 - t) * sy),
      })),
      ignore: [],
    });
  }
  return views;
}

/**
 * One synthetic rig with every class of the exam's default three, rendered large (the scene
 * the views are taken of): the first seed from `seed` whose meters lie within 60 % of the
 * frame each way, so that the views can frame them in many ways (zoom and shift), as a
 * contestant stepping around a rig does, rather than near-duplicates of one framing.
 */
export async function syntheticRig(seed: number): Promise<TruthPhoto> {
  const combo = DEFAULT_CLASSES.slice(0, 3).map((c) => c.key);
  for (let s = seed; ; s++) {
    const p = await renderRigPhoto({ seed: s, classes: DEFAULT_CLASSES, combo, width: 1600, height: 1200, difficulty: 0.35 });
    const spanX = Math.max(...p.boxes.map((b) => b.x2)) - Math.min(...p.boxes.map((b) => b.x1));
    const spanY = Math.max(...p.boxes.map((b) => b.y2)) - Math.min(...p.boxes.map((b) => b.y1));
    if ((spanX > 0.6 * p.width || spanY > 0.6 * p.height) && s < seed + 200) continue;
    return { name: `rig${s}`, jpeg: p.jpeg, width: p.width, height: p.height, combo, boxes: p.boxes.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })), ignore: [] };
  }
}
