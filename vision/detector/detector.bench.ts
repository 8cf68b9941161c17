/**
 * Benchmark of `detect` (preprocessing + inference + post-processing) on decoded photos:
 * the "pre-label one photo ≤ 80 ms" budget of DESIGN.md.
 *
 *   npx tsx vision/detector/detector.bench.ts MODEL.onnx [runs] [threads]
 *
 * runs on synthetic rig photos decoded at 1280×960 (the size of `InspectOk.display`),
 * fed to the model at the default 640 px long side. Also exports `benchDetector`, which
 * returns `{ metric, value, unit, budget?, ok? }` rows for `npm run bench`.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { BenchRow } from '../image/inspect.bench.js';
import type { RawImage } from '../image/types.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../synth/index.js';
import { DETECT_DEFAULTS, loadDetector, type DetectOptions } from './detector.js';
import { fillChw, fitInside } from './preprocess.js';

/** DESIGN.md: pre-label one photo with the ONNX detector. */
export const DETECT_BUDGET_MS = 80;

/** Options of {@link benchDetector}. */
export interface BenchDetectorOptions {
  /** Timed `detect` calls (cycling through the images); default 30. */
  readonly runs?: number;
  /** Untimed calls first; default 3. */
  readonly warmup?: number;
  /** onnxruntime intra-op threads; default the detector's default. */
  readonly threads?: number;
  readonly detect?: DetectOptions;
  /** Receives one human-readable line per measurement. */
  readonly log?: (line: string) => void;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function timed(runs: number, warmup: number, step: (i: number) => unknown): Promise<{ median: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    await step(i);
    if (i >= warmup) ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
}

/**
 * Median and p95 ms of one `detect` (preprocessing included) of the model at
 * `modelPath` over `images`, plus the preprocessing alone and the model load time.
 * Nothing is asserted; `ok` compares the median with {@link DETECT_BUDGET_MS}.
 */
export async function benchDetector(modelPath: string, images: readonly RawImage[], opts: BenchDetectorOptions = {}): Promise<BenchRow[]> {
  if (images.length === 0) throw new RangeError('benchDetector needs at least one image');
  const runs = opts.runs ?? 30;
  const warmup = opts.warmup ?? 3;
  const log = opts.log ?? (() => {});
  const rows: BenchRow[] = [];

  const t0 = performance.now();
  const detector = await loadDetector(modelPath, opts.threads === undefined ? {} : { threads: opts.threads });
  rows.push({ metric: 'detector load', value: performance.now() - t0, unit: 'ms' });
  try {
    const pick = (i: number) => images[i % images.length] as RawImage;
    const d = await timed(runs, warmup, (i) => detector.detect(pick(i), opts.detect));
    const ok = d.median <= DETECT_BUDGET_MS;
    rows.push({ metric: 'detect.median', value: d.median, unit: 'ms', budget: DETECT_BUDGET_MS, ok });
    rows.push({ metric: 'detect.p95', value: d.p95, unit: 'ms' });
    const maxSide = opts.detect?.maxSide ?? DETECT_DEFAULTS.maxSide;
    const p = await timed(runs, 1, (i) => {
      const img = pick(i);
      const size = fitInside(img.width, img.height, maxSide);
      fillChw(img, size, new Float32Array(3 * size.width * size.height));
    });
    rows.push({ metric: 'preprocess.median', value: p.median, unit: 'ms' });
    const first = pick(0);
    log(
      `${modelPath}: ${first.width}×${first.height} → long side ${maxSide}, threads ${opts.threads ?? 'default'}, ` +
        `${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}: detect median ${d.median.toFixed(1)} ms, p95 ` +
        `${d.p95.toFixed(1)} ms (budget ${DETECT_BUDGET_MS}); preprocess median ${p.median.toFixed(1)} ms`,
    );
  } finally {
    await detector.close();
  }
  return rows;
}

/** Synthetic rig photos decoded to sRGB pixels, `width × height` (default 1280×960). */
export async function benchImages(count: number, width = 1280, height = 960): Promise<RawImage[]> {
  const combos = [['gauge_normal'], ['gauge_abnormal', 'digital'], ['gauge_normal', 'gauge_abnormal', 'digital']];
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const photo = await renderRigPhoto({ seed: 900 + i, classes: DEFAULT_CLASSES, combo: combos[i % combos.length] ?? [], width, height });
      const { data, info } = await sharp(photo.jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 3 } as const;
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [model, runs, threads] = process.argv.slice(2);
  if (!model) {
    console.error('usage: npx tsx vision/detector/detector.bench.ts MODEL.onnx [runs] [threads]');
    process.exit(2);
  }
  const images = await benchImages(6);
  const rows = await benchDetector(model, images, {
    runs: Number(runs ?? 30),
    ...(threads ? { threads: Number(threads) } : {}),
    log: (line) => console.log(line),
  });
  console.table(rows);
}
