import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, isOneTap, PRESETS } from '../../core/index.js';
import { DEFAULT_CLASSES, planCombos, renderRigPhoto, type SynthPhoto } from '../../vision/synth/index.js';
import { BASE_CHECKPOINT, ensureBaseModel } from '../../workers/base-model.js';
import { startWorkers } from '../../workers/run.js';
import { runTrainer } from '../../workers/train/trainer-process.js';
import { TRAINER_SCRIPT } from '../../workers/train/processor.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';
import { seedStations, startStack, type BenchStack } from '../env.js';

/**
 * Pre-labels: synthetic rig photos captured by plan go through the real chat path;
 * a photo is "one tap" when the proposal matches the ground truth exactly (every box
 * IoU ≥ 0.9 with the right class, nothing extra). Measured with the shipped base model,
 * then with an assist model trained on the first 30 photos.
 */
const N = 40;

async function photos(seed: number, n: number): Promise<Array<{ combo: string[]; photo: SynthPhoto }>> {
  const combos = planCombos(DEFAULT_CLASSES, n, seed);
  return Promise.all(combos.map(async (combo, i) => ({ combo, photo: await renderRigPhoto({ seed: seed * 1000 + i, classes: DEFAULT_CLASSES, combo, width: 1280, height: 960 }) })));
}

async function measure(stack: BenchStack, model: string, label: string, set: Array<{ combo: string[]; photo: SynthPhoto }>, userId: number): Promise<Metric[]> {
  const log = createLogger({ name: 'bench', level: 'silent' });
  const workers = await startWorkers({ config: stack.config, exam: stack.exam, store: stack.store, log, baseModel: model });
  const u = stack.emu.user(userId, { languageCode: 'en' });
  const latencies: number[] = [];
  let oneTap = 0;
  try {
    for (const { combo, photo } of set) {
      const t0 = performance.now();
      await u.sendPhoto(photo.jpeg, { caption: combo.join('+') });
      const m = await u.nextMessage({ timeoutMs: 30_000 });
      latencies.push(performance.now() - t0);
      const id = Number(/#(\d+)/.exec(m.caption ?? m.text ?? '')?.[1]);
      const proposal = stack.store.labels.latest(id)?.boxes ?? [];
      if (isOneTap(proposal, photo.boxes)) oneTap++;
    }
  } finally {
    await workers.close();
  }
  return [
    metric(`${label}: one-tap share (IoU≥0.9, right class)`, oneTap / set.length, 'ratio'),
    metric(`${label}: photo → preview sent (median)`, percentile(latencies, 50), 'ms'),
    metric(`${label}: photo → preview sent (p95)`, percentile(latencies, 95), 'ms', 1000),
  ];
}

export const bench: Bench = {
  name: 'prelabel',
  description: 'one-tap share and photo → preview latency, base model vs an assist model trained on 30 photos',
  async run(): Promise<Metric[]> {
    // Each model gets a fresh product (the same photos at one station twice would be duplicates).
    let stack = await startStack({ WORKER_QUEUES: 'ingest' });
    const out: Metric[] = [];
    try {
      const base = await ensureBaseModel(stack.config, stack.exam, createLogger({ name: 'bench', level: 'warn' }));
      if (!base) throw new Error('no base model: train workers/trainer/base/ssdlite-rig.pt first (see workers/trainer/base/README.md)');
      const [a] = seedStations(stack.store, 1);
      const testSet = await photos(7, N);
      out.push(...(await measure(stack, base, 'base model', testSet, a ?? 0)));
      await stack.close();
      stack = await startStack({ WORKER_QUEUES: 'ingest' });
      const [b] = seedStations(stack.store, 1);

      // An assist model: the trainer on the first 30 photos of a station, assist preset, from the base checkpoint as the product does.
      const dir = join(stack.config.DATA_DIR, 'assist-bench');
      mkdirSync(join(dir, 'img'), { recursive: true });
      const train = await photos(11, 30);
      const images = train.map((t, i) => {
        const path = join(dir, 'img', `${i}.jpg`);
        writeFileSync(path, t.photo.jpeg);
        return { path, width: t.photo.width, height: t.photo.height, boxes: t.photo.boxes };
      });
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ classes: DEFAULT_CLASSES.map((c) => ({ id: c.id, key: c.key })), images }));
      writeFileSync(join(dir, 'params.json'), JSON.stringify({ ...PRESETS.assist, init: existsSync(BASE_CHECKPOINT) ? BASE_CHECKPOINT : null }));
      const t0 = performance.now();
      const r = await runTrainer({ python: stack.config.TRAINER_PYTHON, script: TRAINER_SCRIPT, args: ['--manifest', join(dir, 'manifest.json'), '--params', join(dir, 'params.json'), '--out', dir], onEvent: () => undefined, shouldStop: () => false });
      if (!r.done) throw new Error(`assist training failed: ${r.stderrTail}`);
      out.push(metric('assist model training (30 photos, assist preset)', (performance.now() - t0) / 1000, 's'));
      out.push(...(await measure(stack, join(dir, 'model.onnx'), 'assist model (30 photos)', testSet, b ?? 0)));
    } finally {
      await stack.close();
    }
    return out;
  },
};
