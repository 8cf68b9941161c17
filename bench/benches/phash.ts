import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { hammingHex, inspectImage } from '../../vision/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';

/**
 * The cross-station copy threshold (`cleaning.otherStationDistance`), measured: Hamming
 * distances between the perceptual hash of a photo and its re-encodings (JPEG q70, CMYK,
 * WebP, progressive, a 90 % downscale), against the distances between different photos
 * of the same combo (synthetic rigs: the same rig model) and between different real
 * gauge photos (/work/shared/data/real-gauges, CC BY 4.0). Hashes go through
 * `inspectImage`, as in the worker. The threshold must sit above the copies' maximum and
 * well below the different photos' minimum.
 */

const LIMITS = { maxInputPixels: 50_000_000, maxBytes: 30 * 1024 * 1024 };
const REAL = '/work/shared/data/real-gauges/images';

async function phashOf(buf: Buffer): Promise<string> {
  const r = await inspectImage(buf, LIMITS);
  if (r.kind !== 'ok') throw new Error(`inspect refused a bench image: ${r.reason}`);
  return r.phash;
}

/** The re-encodings a copier would make. */
async function copies(jpeg: Buffer): Promise<Buffer[]> {
  const meta = await sharp(jpeg).metadata();
  return Promise.all([
    sharp(jpeg).jpeg({ quality: 70 }).toBuffer(),
    sharp(jpeg).toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer(),
    sharp(jpeg).webp({ quality: 80 }).toBuffer(),
    sharp(jpeg).jpeg({ quality: 85, progressive: true }).toBuffer(),
    sharp(jpeg).resize(Math.round((meta.width ?? 640) * 0.9)).jpeg({ quality: 80 }).toBuffer(),
  ]);
}

function pairwise(hashes: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) out.push(hammingHex(hashes[i]!, hashes[j]!));
  return out;
}

export interface PhashFigures {
  copies: number[];
  synthSameCombo: number[];
  real: number[];
}

/** Measures the three distributions (n synthetic photos per combo, every real photo). */
export async function measurePhash(perCombo = 12, realLimit = 106): Promise<PhashFigures> {
  const copyD: number[] = [];
  const synth: number[] = [];
  const combos = [['gauge_normal'], ['digital'], ['gauge_normal', 'digital'], ['gauge_normal', 'gauge_abnormal', 'digital']];
  for (const [c, combo] of combos.entries()) {
    const hashes: string[] = [];
    for (let i = 0; i < perCombo; i++) {
      const p = await renderRigPhoto({ seed: 9000 + c * 100 + i, classes: DEFAULT_CLASSES, combo, width: 1024, height: 768 });
      const h = await phashOf(p.jpeg);
      hashes.push(h);
      if (i < 3) for (const copy of await copies(p.jpeg)) copyD.push(hammingHex(h, await phashOf(copy)));
    }
    synth.push(...pairwise(hashes));
  }
  const files = readdirSync(REAL).filter((f) => f.endsWith('.jpg')).sort().slice(0, realLimit);
  const real: string[] = [];
  for (const [i, f] of files.entries()) {
    const buf = readFileSync(join(REAL, f));
    const h = await phashOf(buf);
    real.push(h);
    if (i % 10 === 0) for (const copy of await copies(buf)) copyD.push(hammingHex(h, await phashOf(copy)));
  }
  return { copies: copyD, synthSameCombo: synth, real: pairwise(real) };
}

export const bench: Bench = {
  name: 'phash',
  description: 'perceptual-hash distances: re-encoded copies vs different photos of the same rig (synthetic) and real gauges',
  async run(): Promise<Metric[]> {
    const f = await measurePhash();
    const out: Metric[] = [];
    const add = (name: string, d: number[]) => {
      out.push(metric(`${name} min`, Math.min(...d), 'bits'), metric(`${name} p1`, percentile(d, 1), 'bits'));
      out.push(metric(`${name} p50`, percentile(d, 50), 'bits'), metric(`${name} max`, Math.max(...d), 'bits'));
      out.push(metric(`${name} pairs`, d.length, 'pairs'));
    };
    add('copies', f.copies);
    add('synthetic same combo', f.synthSameCombo);
    add('real different photos', f.real);
    return out;
  },
};
