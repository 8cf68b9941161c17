/**
 * `generateDataset`: a folder of synthetic rig photos with YOLO labels and a manifest.
 *
 * Layout: `images/<name>.jpg`, `labels/<name>.txt`, `classes.txt` (keys in id order) and
 * `manifest.json` (pixel boxes, absolute image paths). Every file is written to a
 * temporary name and renamed, so a reader never sees a half-written file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSynthClasses } from './classes.js';
import { planCombos } from './combos.js';
import { renderRigPhoto } from './render.js';
import { createRng } from './rng.js';
import type { SynthBox, SynthClass } from './types.js';
import { toYoloLabel } from './yolo.js';

/** Options of {@link generateDataset}. */
export interface DatasetOptions {
  /** Output folder; created when missing. Files of the same names are replaced, others are left. */
  out: string;
  count: number;
  seed: number;
  /** Ids must be 0..n-1 (YOLO class index). */
  classes: readonly SynthClass[];
  /** Pixels; default 640. */
  width?: number;
  /** Pixels; default 480. */
  height?: number;
  /** JPEG quality; default 90. */
  quality?: number;
  /** Fixed difficulty 0..1; by default each image draws one in 0.1..0.9 for variety. */
  difficulty?: number;
  /** Class keys every image shows (one capture-plan combo); by default combos cycle as in {@link planCombos}. */
  combo?: readonly string[];
  /** 0..1, default 0: share of pointer gauges drawn with a stem, fitting and pipe beneath (not boxed). */
  fittings?: number;
}

/** One image of `manifest.json`. */
export interface ManifestImage {
  path: string;
  width: number;
  height: number;
  boxes: SynthBox[];
}

/** Shape of `manifest.json`. */
export interface Manifest {
  classes: { id: number; key: string }[];
  images: ManifestImage[];
}

/** Renders in flight at once: the JS part of one overlaps libvips work of the other on 2 cores. */
const IN_FLIGHT = 2;

/** Writes `data` to `file` via a temporary sibling and a rename. */
export async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** The file stem of image `index` (zero-padded so names sort in generation order). */
export function imageName(seed: number, index: number): string {
  return `synth-${seed}-${String(index).padStart(6, '0')}`;
}

/** Renders `count` photos following {@link planCombos} and writes the dataset; returns what it wrote. */
export async function generateDataset(opts: DatasetOptions): Promise<{ images: number; boxes: number }> {
  parseSynthClasses(opts.classes);
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const out = path.resolve(opts.out);
  await mkdir(path.join(out, 'images'), { recursive: true });
  await mkdir(path.join(out, 'labels'), { recursive: true });

  const combos = opts.combo ? Array.from({ length: opts.count }, () => [...(opts.combo ?? [])]) : planCombos(opts.classes, opts.count, opts.seed);
  const rng = createRng(opts.seed);
  const jobs = combos.map((combo, index) => ({
    combo,
    index,
    seed: rng.int(0, 0x7fffffff),
    difficulty: opts.difficulty ?? rng.range(0.1, 0.9),
  }));
  const images: ManifestImage[] = new Array<ManifestImage>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (!job) break;
      const photo = await renderRigPhoto({
        seed: job.seed,
        classes: opts.classes,
        combo: job.combo,
        width,
        height,
        difficulty: job.difficulty,
        ...(opts.fittings ? { fittings: opts.fittings } : {}),
        ...(opts.quality === undefined ? {} : { quality: opts.quality }),
      });
      const name = imageName(opts.seed, job.index);
      const imagePath = path.join(out, 'images', `${name}.jpg`);
      await writeAtomic(imagePath, photo.jpeg);
      await writeAtomic(path.join(out, 'labels', `${name}.txt`), toYoloLabel(photo.boxes, width, height));
      images[job.index] = { path: imagePath, width, height, boxes: photo.boxes };
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, jobs.length) }, worker));

  const sorted = [...opts.classes].sort((a, b) => a.id - b.id);
  await writeAtomic(path.join(out, 'classes.txt'), sorted.map((c) => `${c.key}\n`).join(''));
  const manifest: Manifest = { classes: sorted.map((c) => ({ id: c.id, key: c.key })), images };
  await writeAtomic(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { images: images.length, boxes: images.reduce((s, im) => s + im.boxes.length, 0) };
}
