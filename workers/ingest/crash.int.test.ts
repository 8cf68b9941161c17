import type { Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBot } from '../../bot/app.js';
import type { BotContext } from '../../bot/context.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createJobQueue, type JobQueue } from '../../queue/index.js';
import { testQueues } from '../../test/queues.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { killProcess, startProcess, until } from '../../test/processes.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';

/**
 * Exactly once under a crash: the worker process is SIGKILLed in the middle of a batch;
 * a new one finishes every photo, with one row each and the combo quota exact.
 */
describe('ingest survives a killed worker', () => {
  let emu: Emulator;
  let env: ReturnType<typeof testEnv>;
  let jobs: JobQueue;
  let queues: ReturnType<typeof testQueues>;
  let bot: Telegraf<BotContext>;
  let procEnv: Record<string, string>;

  beforeAll(async () => {
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    const prefix = testPrefix();
    env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, TELEGRAM_API_ROOT: emu.apiRoot });
    jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
    queues = testQueues(inject('redisUrl'), prefix);
    bot = createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now }, { apiRoot: emu.apiRoot });
    void bot.launch();
    procEnv = {
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      DATA_DIR: env.dataDir,
      DATABASE_URL: env.config.DATABASE_URL ?? '',
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      WORKER_QUEUES: 'ingest',
      JOB_LOCK_MS: '1500',
    };
  });

  afterAll(async () => {
    bot.stop('test');
    await jobs.close();
    await queues.obliterate();
    await emu.close();
    env.cleanup();
  });

  it('finishes every photo exactly once after SIGKILL, and the quota stays exact', async () => {
    env.store.stations.create({ stationNo: 'K01', contestantName: 'K', idNumber: validId() });
    const u = emu.user(4001, { languageCode: 'en' });
    env.store.users.upsert({ userId: u.id, chatId: u.id, lang: 'en' });
    env.store.users.bindStation(u.id, 'K01', 'contestant');
    env.store.users.setActiveCombo(u.id, '0');

    const n = 12;
    for (let i = 0; i < n; i++) {
      const p = await renderRigPhoto({ seed: 100 + i, classes: DEFAULT_CLASSES, combo: ['gauge_normal'], width: 1024, height: 768 });
      await u.sendPhoto(p.jpeg);
    }
    await until(() => env.store.photos.list('K01').length === n, 20_000, 'all photos received by the bot');

    let worker = startProcess('workers/main.ts', procEnv);
    await until(() => env.store.photos.list('K01', { status: ['clean', 'prelabeled', 'rejected'] }).length >= 1, 60_000, 'first photo ingested');
    await killProcess(worker.child);
    const doneAtKill = env.store.photos.list('K01', { status: ['clean', 'prelabeled', 'rejected'] }).length;
    expect(doneAtKill).toBeLessThan(n);

    worker = startProcess('workers/main.ts', procEnv);
    try {
      // Done means: a verdict, pre-labels for the accepted ones, and the chat told.
      await until(() => env.store.photos.list('K01').every((p) => (p.status === 'prelabeled' || p.status === 'rejected') && p.previewMessageId !== null), 90_000, 'every photo ingested');
      // A duplicated job for a finished photo changes nothing.
      const first = env.store.photos.list('K01')[0];
      if (!first) throw new Error('no photo');
      // (A raw add under another id: the producer itself would never make this duplicate.)
      const result = await queues.addAndWait('ingest', 'ingest', { stationNo: 'K01', photoId: first.id, chatId: u.id, lang: 'en' }, `dup-${first.id}`);
      expect(result).toEqual({ kind: first.status === 'rejected' ? 'rejected' : 'accepted', photoId: first.id });
      expect(env.store.photos.get(first.id)).toEqual(first);
    } finally {
      await killProcess(worker.child, 'SIGTERM');
    }

    const rows = env.store.photos.list('K01');
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.tgFileUniqueId)).size).toBe(n);
    expect(env.store.photos.countByCombo('K01').get('0')).toBe(10);
    expect(rows.filter((r) => r.rejectReason === 'quota-full')).toHaveLength(2);
    for (const r of rows) expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
