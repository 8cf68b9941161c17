/**
 * Benchmark of ingest's image work on a generated 12 MP photo-like JPEG:
 * `inspectImage` + `renderPreview` (the ≤ 150 ms budget in DESIGN.md), and the parts.
 *
 *   npx tsx vision/image/inspect.bench.ts [runs]      (default 25 runs, 3 warm-up)
 *   SHARP_CONCURRENCY=2 npx tsx vision/image/inspect.bench.ts   (libvips threads per pipeline)
 *
 * Also exports `benchInspect` returning `{ metric, value, unit, budget?, ok? }` rows for
 * `npm run bench`. Prints wall time (what the user waits) and process CPU time (less
 * sensitive to other load on the machine, includes libvips threads).
 */
import { pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { inspectImage } from './inspect.js';
import { classPalette } from './palette.js';
import { renderPreview } from './preview.js';
import { configureSharp } from './sharp-setup.js';
import { texturedScene } from './test-images.js';
import type { InspectOk } from './types.js';

/** One row of `bench/results/NAME.json`. */
export interface BenchRow {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly budget?: number;
  readonly ok?: boolean;
}

const LIMITS = { maxInputPixels: 50e6, maxBytes: 30 * 1024 * 1024 };
const BUDGET_MS = 150;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function measure(runs: number, warmup: number, step: () => Promise<unknown>) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step();
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    if (i >= warmup) {
      wall.push(t1 - t0);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    median: percentile(wall, 0.5),
    p95: percentile(wall, 0.95),
    cpuMedian: percentile(cpu, 0.5),
  };
}

function previewBoxes(r: InspectOk) {
  const [c1, c2, c3] = classPalette(3) as [string, string, string];
  const { width: w, height: h } = r;
  return {
    boxes: [
      { x1: w * 0.1, y1: h * 0.1, x2: w * 0.45, y2: h * 0.5, label: '1', color: c1 },
      { x1: w * 0.5, y1: h * 0.4, x2: w * 0.9, y2: h * 0.9, label: '2', color: c2 },
      { x1: w * 0.05, y1: h * 0.6, x2: w * 0.3, y2: h * 0.95, label: '3', color: c3 },
    ],
    legend: [
      { color: c1, text: '1 压力表' },
      { color: c2, text: '2 温度计' },
      { color: c3, text: '3 数显表' },
    ],
  };
}

async function inspectAndPreview(jpeg: Buffer): Promise<Buffer> {
  const r = await inspectImage(jpeg, LIMITS);
  if (r.kind !== 'ok') throw new Error(`bench image was rejected: ${r.reason} ${r.detail ?? ''}`);
  const { boxes, legend } = previewBoxes(r);
  return renderPreview(r.display, boxes, { legend, sourceSize: { width: r.width, height: r.height } });
}

/** Runs the benchmark; `log` receives one human-readable line per measurement. */
export async function benchInspect(runs = 25, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const raw = await texturedScene(4000, 3000, 42);
  const input = { raw: { width: raw.width, height: raw.height, channels: raw.channels } };
  const jpeg = await sharp(raw.data, input).jpeg({ quality: 92 }).toBuffer();
  // Same pixels stored sideways with EXIF orientation 6, as phones do for portrait shots.
  const sideways = await sharp(raw.data, input).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
  log(
    `input: 4000×3000 JPEG q92, ${(jpeg.length / 1e6).toFixed(2)} MB; sharp.concurrency=${sharp.concurrency()}, ` +
      `${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)}`,
  );

  const rows: BenchRow[] = [];
  const report = (name: string, budget: number | undefined, m: Awaited<ReturnType<typeof measure>>) => {
    log(
      `${name.padEnd(34)} median ${m.median.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms  cpu median ${m.cpuMedian.toFixed(1)} ms` +
        (budget === undefined ? '' : `  (budget ${budget} ms)`),
    );
    rows.push({ metric: `${name}.median`, value: m.median, unit: 'ms', ...(budget === undefined ? {} : { budget, ok: m.median <= budget }) });
    rows.push({ metric: `${name}.p95`, value: m.p95, unit: 'ms' });
  };

  report('inspect+preview 12mp jpeg', BUDGET_MS, await measure(runs, 3, () => inspectAndPreview(jpeg)));
  report('inspect 12mp jpeg', undefined, await measure(runs, 1, () => inspectImage(jpeg, LIMITS)));
  const ok = await inspectImage(jpeg, LIMITS);
  if (ok.kind !== 'ok') throw new Error('bench image was rejected');
  const { boxes, legend } = previewBoxes(ok);
  report(
    'preview from display copy',
    undefined,
    await measure(runs, 1, () => renderPreview(ok.display, boxes, { legend, sourceSize: ok })),
  );
  report('preview from 12mp jpeg', undefined, await measure(Math.ceil(runs / 2), 1, () => renderPreview(jpeg, boxes, { legend })));
  report(
    'inspect+preview 12mp orientation 6',
    undefined,
    await measure(Math.ceil(runs / 2), 1, () => inspectAndPreview(sideways)),
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 25);
  configureSharp({ threadsPerImage: Number(process.env.SHARP_CONCURRENCY ?? 1) });
  await benchInspect(runs, (line) => console.log(line));
}
