import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createJobQueue, type JobQueue } from '../../queue/index.js';
import { testQueues } from '../../test/queues.js';
import { PRESETS } from '../../core/index.js';
import { TEST_TOKEN, testEnv, testPrefix } from '../../test/harness.js';
import { killProcess, startProcess, until } from '../../test/processes.js';
import { seedConfirmedStation } from '../../test/seed.js';

/** How many trainer processes are running for this run folder (read from /proc). */
function trainersFor(dir: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a.endsWith('train.py')) && args.includes(dir)) n++;
    } catch {
      // the process ended while we looked
    }
  }
  return n;
}

/**
 * A training worker killed mid-run: its trainer does not train on as an orphan, the job is
 * picked up again by the next worker, the chat is told, and the run completes.
 */
describe('a crashed training worker', () => {
  let emu: Emulator;
  let env: ReturnType<typeof testEnv>;
  let jobs: JobQueue;
  let procEnv: Record<string, string>;
  let obliterate: () => Promise<void>;

  beforeAll(async () => {
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    const prefix = testPrefix();
    env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, TELEGRAM_API_ROOT: emu.apiRoot });
    jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
    obliterate = () => testQueues(inject('redisUrl'), prefix).obliterate();
    procEnv = { TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: env.dataDir, DATABASE_URL: env.config.DATABASE_URL ?? '', REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, WORKER_QUEUES: 'train', JOB_LOCK_MS: '2000', TRAINER_DEVICE: 'cpu' };
  });

  afterAll(async () => {
    await jobs.close();
    await obliterate();
    await emu.close();
    env.cleanup();
  });

  it('re-queues the run, says so in the chat, and finishes it', async () => {
    await seedConfirmedStation(env, 'W01', 7001, 10, '11010519900307123');
    const u = emu.user(7001, { languageCode: 'en' });
    const created = env.store.runs.create({ stationNo: 'W01', kind: 'train', params: { ...PRESETS.fast, epochs: 4, batch: 4, timeBudgetS: 0 }, chatId: u.id });
    if (created.kind !== 'created') throw new Error('busy');
    const run = created.run;
    await jobs.enqueue('train', { stationNo: 'W01', runId: run.id, chatId: u.id, lang: 'en' });

    let worker = startProcess('workers/main.ts', procEnv);
    await until(() => trainersFor(run.dir) > 0, 60_000, 'the trainer to start');
    await killProcess(worker.child);
    await until(() => trainersFor(run.dir) === 0, 15_000, 'the orphaned trainer to exit');
    expect(env.store.runs.get(run.id)?.status).toBe('running');

    worker = startProcess('workers/main.ts', procEnv);
    try {
      const note = await u.waitFor((m) => (m.text ?? '').includes('restarted automatically (attempt 2)'), { timeoutMs: 60_000 });
      expect(note.text).toContain(run.id);
      await until(() => env.store.runs.get(run.id)?.status === 'completed', 180_000, 'the run to complete');
    } finally {
      await killProcess(worker.child, 'SIGTERM');
    }
    expect(env.store.runs.get(run.id)?.attempts).toBe(2);
    await u.waitFor((m) => (m.text ?? '').includes(`Training <b>${run.id}</b> finished`), { timeoutMs: 10_000 });
  }, 360_000);
});
