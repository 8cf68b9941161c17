import { performance } from 'node:perf_hooks';
import { benchInspect } from '../../vision/image/inspect.bench.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { createLogger } from '../../core/index.js';
import { startWorkers } from '../../workers/run.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';
import { seedStations, startStack } from '../env.js';

/**
 * Ingest: per-photo cost of inspecting a 12-megapixel JPEG (budget 150 ms median), and
 * the whole path on the local chat — photo sent → verdict message — with the default
 * worker concurrency, as latency and photos per second.
 */
export const bench: Bench = {
  name: 'ingest',
  description: '12 MP inspect+preview, and photo → verdict on the local chat with real Redis and workers',
  async run(): Promise<Metric[]> {
    const out: Metric[] = [];
    for (const row of await benchInspect(25)) out.push(metric(row.metric, row.value, row.unit, row.budget));

    const stack = await startStack({ WORKER_QUEUES: 'ingest' });
    const log = createLogger({ name: 'bench-workers', level: 'silent' });
    const workers = await startWorkers({ config: stack.config, exam: stack.exam, store: stack.store, log });
    try {
      const [userId] = seedStations(stack.store, 1);
      const u = stack.emu.user(userId ?? 10_000, { languageCode: 'en' });
      stack.store.users.setActiveCombo(u.id, '0+1+2');
      const photos = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          renderRigPhoto({ seed: 500 + i, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width: 4000, height: 3000, quality: 90 }),
        ),
      );
      // Sequential: one photo at a time, latency from send to verdict message.
      const latencies: number[] = [];
      for (const p of photos.slice(0, 10)) {
        const t0 = performance.now();
        await u.sendPhoto(p.jpeg);
        await u.nextMessage({ timeoutMs: 30_000 });
        latencies.push(performance.now() - t0);
      }
      out.push(metric('photo→verdict message 12MP (median)', percentile(latencies, 50), 'ms'));
      out.push(metric('photo→verdict message 12MP (p95)', percentile(latencies, 95), 'ms', 1000));
      // Burst: the rest at once, as an album would arrive; photos per second with default concurrency.
      const t0 = performance.now();
      await Promise.all(photos.slice(10).map((p) => u.sendPhoto(p.jpeg)));
      for (let i = 0; i < 10; i++) await u.nextMessage({ timeoutMs: 60_000 });
      const seconds = (performance.now() - t0) / 1000;
      out.push(metric(`ingest throughput (concurrency ${stack.config.INGEST_CONCURRENCY}, 12MP)`, 10 / seconds, 'photos/s'));
    } finally {
      await workers.close();
      await stack.close();
    }
    return out;
  },
};
