import type { Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBot } from '../../bot/app.js';
import type { BotContext } from '../../bot/context.js';
import { messagePlainText, startEmulator, type Emulator } from '../../emulator/index.js';
import { createJobQueue, type JobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { killProcess, startProcess, until } from '../../test/processes.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';

/**
 * A photo recorded while the bot cannot reach Redis: the row exists at once, the chat is
 * told once that checks are delayed, and the workers' periodic sweep (not a restart)
 * enqueues it, so it gets its verdict; an ID number in a caption never reaches a reply.
 */
describe('photos the bot could not enqueue', () => {
  let emu: Emulator;
  let env: ReturnType<typeof testEnv>;
  let jobs: JobQueue;
  let bot: Telegraf<BotContext>;
  let prefix: string;

  beforeAll(async () => {
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    prefix = testPrefix();
    env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, TELEGRAM_API_ROOT: emu.apiRoot });
    // The bot's Redis is down (nothing listens on port 1); the workers' is up.
    jobs = createJobQueue({ redisUrl: 'redis://127.0.0.1:1', prefix, failFastMs: 300 });
    bot = createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now }, { apiRoot: emu.apiRoot });
    void bot.launch();
  });

  afterAll(async () => {
    bot.stop('test');
    await jobs.close();
    await emu.close();
    env.cleanup();
  });

  it('records each photo, says so once, and the sweep gets every photo checked exactly once', async () => {
    const id = validId();
    env.store.stations.create({ stationNo: 'W01', contestantName: 'W', idNumber: id });
    const u = emu.user(4101, { languageCode: 'en' });
    env.store.users.upsert({ userId: u.id, chatId: u.id, lang: 'en' });
    env.store.users.bindStation(u.id, 'W01', 'contestant');
    env.store.users.setActiveCombo(u.id, '0');
    const worker = startProcess('workers/main.ts', {
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      DATA_DIR: env.dataDir,
      DATABASE_URL: env.config.DATABASE_URL ?? '',
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      WORKER_QUEUES: 'ingest',
      SWEEP_EVERY_MS: '200',
      SWEEP_AFTER_MS: '0',
    });
    try {
      await until(() => worker.output().includes('workers ready'), 90_000, 'workers ready');
      const photo = (seed: number) => renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['gauge_normal'], width: 1024, height: 768 });
      // A caption that names no combo, with an emoji across the 40th code point and an ID number.
      await u.sendPhoto((await photo(501)).jpeg, { caption: `${'x'.repeat(20)} ${id} 📷📷📷📷📷📷📷📷📷📷📷📷📷📷📷📷📷📷📷📷` });
      const down = await u.waitFor((m) => messagePlainText(m).includes('checking is delayed'));
      expect(messagePlainText(down)).toContain('#1');
      await u.sendPhoto((await photo(502)).jpeg);
      await until(() => env.store.photos.list('W01').every((p) => p.status !== 'received' && p.previewMessageId !== null), 60_000, 'both photos checked');
      expect(env.store.photos.list('W01')).toHaveLength(2);
      const texts = u.messages().map(messagePlainText);
      expect(texts.filter((t) => t.includes('checking is delayed'))).toHaveLength(1);
      expect(texts.some((t) => t.includes('held an ID-card number'))).toBe(true);
      expect(texts.join('\n')).not.toContain(id);
      expect(texts.join('\n')).not.toMatch(/[\uD800-\uDFFF]/u);
    } finally {
      await killProcess(worker.child, 'SIGTERM');
    }
  });
});
