import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { presetFor, trainerDeviceSchema, type TrainerDevice } from '../../core/index.js';
import { benchDetector, benchImages } from '../../vision/detector/detector.bench.js';
import { DEFAULT_CLASSES, generateDataset } from '../../vision/synth/index.js';
import { BASE_CHECKPOINT } from '../../workers/base-model.js';
import { runTrainer, type TrainerEvent } from '../../workers/train/trainer-process.js';
import { TRAINER_SCRIPT } from '../../workers/train/processor.js';
import { PROBE_SCRIPT } from '../../workers/train/device-advert.js';
import { metric, type Bench, type Metric } from '../metric.js';

/**
 * Training on this machine: 100 synthetic rig photos (80 train / 20 val, the exam's
 * dataset size), seconds per epoch, val mAP50 reached after 5 and 10 minutes from
 * scratch and from the shipped base checkpoint, and ONNX latency of the result.
 * BENCH_TRAIN_MINUTES shortens the budget (default 10 on the CPU, 1 on a GPU).
 *
 * On a GPU host (`TRAINER_DEVICE=cuda`, `TRAINER_PYTHON` = a torch with CUDA): the issue-18
 * targets (from scratch ≥ 0.95 within 60 s, from the base model ≥ 0.97 within 20 s, start-up
 * and export included), and BENCH_TRAIN_QUEUED runs (default 10 on a GPU, 0 on the CPU) of
 * the GPU `fast` preset queued at once and run TRAIN_CONCURRENCY at a time, as one train
 * worker runs them: the time until the last finishes and whether any ran out of memory.
 */
const DEVICE = process.env.TRAINER_DEVICE === 'cuda' ? 'cuda' : 'cpu';
const PYTHON = process.env.TRAINER_PYTHON ?? '/usr/bin/python3';

function probe(): TrainerDevice {
  const line = execFileSync(PYTHON, [PROBE_SCRIPT, DEVICE], { encoding: 'utf8' }).trim().split('\n').pop() ?? '{}';
  return trainerDeviceSchema.parse({ ...(JSON.parse(line) as object), concurrency: Number(process.env.TRAIN_CONCURRENCY ?? 1) });
}

async function trainFor(dir: string, manifest: string, seconds: number, init: string | null, name = init ? 'from-base' : 'scratch'): Promise<TrainerEvent[]> {
  const out = join(dir, name);
  const params = join(dir, `${name}-params.json`);
  const preset = presetFor('balanced', DEVICE);
  writeFileSync(params, JSON.stringify({ ...preset, epochs: 300, patience: 0, timeBudgetS: seconds, init, device: DEVICE }));
  const events: TrainerEvent[] = [];
  const r = await runTrainer({ python: PYTHON, script: TRAINER_SCRIPT, args: ['--manifest', manifest, '--params', params, '--out', out], onEvent: (e) => events.push(e), shouldStop: () => false });
  if (!r.done) throw new Error(`training failed: ${r.stderrTail}`);
  return events;
}

/** `n` short GPU `fast` runs queued at once, `concurrency` at a time; seconds until the last ends, and failures. */
async function queuedRuns(dir: string, manifest: string, n: number, concurrency: number): Promise<{ makespanS: number; failed: number; outOfMemory: number }> {
  const t0 = Date.now();
  let next = 0;
  let failed = 0;
  let outOfMemory = 0;
  const one = async (i: number) => {
    const out = join(dir, `queued-${i}`);
    const params = join(dir, `queued-${i}.json`);
    writeFileSync(params, JSON.stringify({ ...presetFor('fast', DEVICE), timeBudgetS: 30, init: existsSync(BASE_CHECKPOINT) ? BASE_CHECKPOINT : null, device: DEVICE }));
    const events: TrainerEvent[] = [];
    const r = await runTrainer({ python: PYTHON, script: TRAINER_SCRIPT, args: ['--manifest', manifest, '--params', params, '--out', out], onEvent: (e) => events.push(e), shouldStop: () => false });
    if (!r.done) failed++;
    if (events.some((e) => e.type === 'error' && e.code === 'out-of-memory')) outOfMemory++;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return { makespanS: (Date.now() - t0) / 1000, failed, outOfMemory };
}

/** Best val mAP50 evaluated at or before `seconds` of training. */
function mapAt(events: readonly TrainerEvent[], seconds: number): number {
  let best = 0;
  for (const e of events) {
    if (e.type === 'epoch' && typeof e.valMap50 === 'number' && Number(e.elapsedS) <= seconds) best = Math.max(best, e.valMap50);
  }
  return best;
}

export const bench: Bench = {
  name: 'train',
  description: 'trainer on 100 synthetic rig photos: s/epoch, mAP50 at 5 and 10 min (scratch vs base), ONNX latency',
  async run(): Promise<Metric[]> {
    const gpu = DEVICE === 'cuda';
    const minutes = Number(process.env.BENCH_TRAIN_MINUTES ?? (gpu ? 1 : 10));
    const queued = Number(process.env.BENCH_TRAIN_QUEUED ?? (gpu ? 10 : 0));
    const device = probe();
    const on = `${device.kind} ${device.name}, torch ${device.torch}`;
    const dir = mkdtempSync(join(tmpdir(), 'bench-train-'));
    const out: Metric[] = [];
    try {
      await generateDataset({ out: dir, count: 100, seed: 2024, classes: DEFAULT_CLASSES });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { images: Array<{ split?: string }> };
      manifest.images.forEach((im, i) => (im.split = i % 5 === 0 ? 'val' : 'train'));
      const manifestPath = join(dir, 'manifest-split.json');
      writeFileSync(manifestPath, JSON.stringify(manifest));

      const scratch = await trainFor(dir, manifestPath, minutes * 60, null);
      const epochs = scratch.filter((e) => e.type === 'epoch');
      const last = epochs.at(-1);
      const size = presetFor('balanced', DEVICE).imgSize;
      out.push(metric(`seconds per epoch (80 train photos, ${size} px, ${on})`, Number(last?.elapsedS ?? 0) / Math.max(1, epochs.length), 's'));
      if (gpu) {
        // Issue 18: within 60 s of start-up, export included (the trainer's elapsedS counts from its start).
        out.push(metric('GPU scratch: val mAP50 within 60 s', mapAt(scratch, 60), 'mAP50', 0.95, true));
      } else if (minutes > 5) out.push(metric('scratch: val mAP50 after 5 min', mapAt(scratch, 300), 'mAP50'));
      // The target (≥ 0.9 within 10 minutes) applies to a 10-minute CPU run.
      out.push(metric(`scratch: val mAP50 after ${minutes} min`, mapAt(scratch, minutes * 60), 'mAP50', !gpu && minutes >= 10 ? 0.9 : undefined, true));
      if (existsSync(BASE_CHECKPOINT)) {
        const base = await trainFor(dir, manifestPath, minutes * 60, BASE_CHECKPOINT);
        // The trainer evaluates only while evaluation stays under 10% of training time, so
        // the first figures may come after the first minute.
        if (gpu) out.push(metric('GPU from base: val mAP50 within 20 s', mapAt(base, 20), 'mAP50', 0.97, true));
        out.push(metric('from base: val mAP50 after 2 min', mapAt(base, 120), 'mAP50'));
        if (minutes > 5) out.push(metric('from base: val mAP50 after 5 min', mapAt(base, 300), 'mAP50'));
        out.push(metric(`from base: val mAP50 after ${minutes} min`, mapAt(base, minutes * 60), 'mAP50'));
      }
      if (queued > 0) {
        const q = await queuedRuns(dir, manifestPath, queued, device.concurrency);
        out.push(metric(`${queued} queued fast runs, ${device.concurrency} at a time: until the last ends`, q.makespanS, 's'));
        out.push(metric(`${queued} queued fast runs: failed`, q.failed, 'runs', 0));
        out.push(metric(`${queued} queued fast runs: out of GPU memory`, q.outOfMemory, 'runs', 0));
      }
      for (const row of await benchDetector(join(dir, 'scratch', 'model.onnx'), await benchImages(6))) {
        out.push(metric(`onnx ${row.metric}`, row.value, row.unit, row.budget));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};
