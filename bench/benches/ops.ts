import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetricsScraper, createProcessMetrics, createUpdateClaim, startMetricsPush } from '../../queue/index.js';
import { backupDataDir, restoreDataDir, runModelPath, stationPaths } from '../../store/index.js';
import { resolveRedis } from '../../scripts/redis-local.js';
import { tempDataDir, testEnv, testPrefix } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';

/**
 * Operating costs: a backup and a restore of a 100-photo station (with a model and a
 * report), one `/metrics` scrape with a bot's and a worker's pushed registries, and the
 * update claim webhook mode adds to every update (one Redis SET NX) beside the store's
 * record that polling uses.
 */
export const bench: Bench = {
  name: 'ops',
  description: 'backup/restore of a 100-photo station, a /metrics scrape, the per-update claim (Redis SET NX vs the SQLite record)',
  async run(): Promise<Metric[]> {
    const out: Metric[] = [];
    const redis = await resolveRedis({ url: process.env.REDIS_URL, tryDefault: true });
    const env = testEnv({ REDIS_URL: redis.url, QUEUE_PREFIX: testPrefix() });
    const snap = tempDataDir('copilot-bench-snap-');
    const target = tempDataDir('copilot-bench-restore-');
    try {
      await seedConfirmedStation(env, 'B01', 1, 100, '11010519900307123');
      const run = env.store.runs.create({ stationNo: 'B01', kind: 'train', params: {}, chatId: null });
      mkdirSync(join(stationPaths(env.dataDir, 'B01').root, 'models'), { recursive: true });
      if (run.kind === 'created') writeFileSync(runModelPath(env.dataDir, 'B01', run.run.id), Buffer.alloc(4_700_000, 1));
      mkdirSync(stationPaths(env.dataDir, 'B01').reports, { recursive: true });
      writeFileSync(join(stationPaths(env.dataDir, 'B01').reports, 'stage1.pdf'), Buffer.alloc(2_000_000, 2));

      let t = performance.now();
      const m = await backupDataDir({ dataDir: env.dataDir, out: snap.dir });
      out.push(metric('backup of a 100-photo station', (performance.now() - t) / 1000, 's'));
      out.push(metric('snapshot size', m.files.reduce((s, f) => s + f.bytes, 0) / 1048576, 'MB'), metric('snapshot files', m.files.length, 'files'));
      t = performance.now();
      await restoreDataDir({ from: snap.dir, dataDir: join(target.dir, 'data') });
      out.push(metric('restore (manifest check + copy + rebase)', (performance.now() - t) / 1000, 's'));

      const prefix = env.config.QUEUE_PREFIX;
      const bot = createProcessMetrics('bot', 'bench-bot');
      const workers = createProcessMetrics('workers', 'bench-workers');
      for (let i = 0; i < 500; i++) {
        bot.replyLatency.observe({ kind: 'message' }, Math.random());
        workers.jobDuration.observe({ queue: 'ingest', job: 'ingest', outcome: 'completed' }, Math.random() * 3);
      }
      const pushes = [bot, workers].map((p) => startMetricsPush(p, { redisUrl: redis.url, prefix, everyMs: 60_000 }));
      await Promise.all(pushes.map((p) => p.push()));
      const scraper = createMetricsScraper({ redisUrl: redis.url, prefix });
      const scrapes: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 40; i++) {
        t = performance.now();
        bytes = (await scraper.scrape()).length;
        scrapes.push(performance.now() - t);
      }
      out.push(metric('/metrics scrape p50', percentile(scrapes, 50), 'ms'), metric('/metrics scrape p95', percentile(scrapes, 95), 'ms'), metric('/metrics body', bytes / 1024, 'KiB'));
      await scraper.close();
      await Promise.all(pushes.map((p) => p.close()));

      const claim = createUpdateClaim({ redisUrl: redis.url, prefix });
      const claims: number[] = [];
      const records: number[] = [];
      for (let i = 0; i < 1000; i++) {
        t = performance.now();
        await claim.claim(i, `message:${i}`);
        claims.push(performance.now() - t);
        t = performance.now();
        env.store.updates.markSeen(i, `message:${i}`);
        records.push(performance.now() - t);
      }
      await claim.close();
      out.push(metric('update claim (Redis SET NX) p50', percentile(claims, 50), 'ms'), metric('update claim (Redis SET NX) p95', percentile(claims, 95), 'ms'));
      out.push(metric('update record (SQLite) p50', percentile(records, 50), 'ms'), metric('update record (SQLite) p95', percentile(records, 95), 'ms'));
    } finally {
      env.cleanup();
      snap.cleanup();
      target.cleanup();
      await redis.local?.stop();
    }
    return out;
  },
};
