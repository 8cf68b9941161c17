import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { superviseLocalRedis, type LocalRedis } from '../scripts/redis-local.js';
import { loadExamConfigFile, openStore, type Store } from '../store/index.js';
import { seedBaseModel } from '../test/base-model-seed.js';
import { TEST_TOKEN, tempDataDir, testPrefix, validId } from '../test/harness.js';
import { killProcess, startProcess, until } from '../test/processes.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';

/**
 * Issue 16 point 4: Redis is SIGKILLed in the middle of a capture burst and revived by the
 * launcher's supervisor (same port, same append-only file, which may miss its last second).
 * Bot and workers are real processes. Every photo sent is recorded once, none stays unchecked
 * (a job lost with Redis is found again by the workers' sweep), and each photo gets exactly one
 * preview or verdict in the chat. The test's own redis-server: the shared one is never touched.
 */
describe('Redis restarted during a capture burst', () => {
  const data = tempDataDir();
  let emu: Emulator;
  let redis: LocalRedis;
  let store: Store;
  let procs: Array<ReturnType<typeof startProcess>> = [];

  beforeAll(async () => {
    redis = await superviseLocalRedis({ dir: join(data.dir, 'redis') });
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    store = openStore({ dataDir: data.dir });
    seedBaseModel(data.dir, loadExamConfigFile('config/exam.yaml'));
    store.stations.create({ stationNo: 'RR1', contestantName: 'R', idNumber: validId('11010519900307888') });
    store.users.upsert({ userId: 4901, chatId: 4901, lang: 'en' });
    store.users.bindStation(4901, 'RR1', 'contestant');
    store.users.setActiveCombo(4901, '0+1+2');
    const env = {
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      DATA_DIR: data.dir,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: testPrefix(),
      WORKER_QUEUES: 'ingest',
      JOB_LOCK_MS: '3000',
      SWEEP_EVERY_MS: '1000',
      SWEEP_AFTER_MS: '2000',
    };
    procs = [startProcess('bot/main.ts', env), startProcess('workers/main.ts', env)];
  });

  afterAll(async () => {
    for (const p of procs) await killProcess(p.child, 'SIGTERM');
    await redis.stop();
    await emu.close();
    store.close();
    data.cleanup();
  });

  it('records every photo once and gives each exactly one preview or verdict', async () => {
    const u = emu.user(4901, { languageCode: 'en' });
    const images = [];
    for (let i = 0; i < 10; i++) {
      images.push((await renderRigPhoto({ seed: 4900 + i, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width: 640, height: 480 })).jpeg);
    }
    // Both processes up: the workers answer a first photo, the bot a command.
    await u.sendText('/plan');
    await u.waitFor((m) => (m.text ?? '').includes('Capture plan'), { timeoutMs: 60_000 });

    const pidBefore = redis.process.pid;
    for (const [i, img] of images.entries()) {
      if (i === 3) redis.process.kill('SIGKILL');
      await u.sendPhoto(img);
      await new Promise((r) => setTimeout(r, 150));
    }
    const isDone = () => {
      const rows = store.photos.list('RR1');
      return rows.length === images.length && rows.every((p) => p.status !== 'received' && (p.previewMessageId !== null || p.status === 'rejected'));
    };
    await until(isDone, 60_000, 'every photo checked and answered').catch((err: unknown) => {
      console.log(store.photos.list('RR1').map((p) => `${p.id}:${p.status}:${String(p.previewMessageId)}`).join(' '));
      for (const p of procs) console.log(p.output().slice(-3000));
      throw err;
    });

    const rows = store.photos.list('RR1');
    expect(rows).toHaveLength(images.length);
    expect(new Set(rows.map((p) => p.tgFileUniqueId)).size).toBe(images.length);
    // Exactly one preview (or rejection) per photo in the chat: no job ran twice to the user.
    await new Promise((r) => setTimeout(r, 1500));
    const bot = u.messages().filter((m) => m.from.is_bot);
    for (const p of rows) {
      const about = bot.filter((m) => new RegExp(`#${p.id}\\b`).test(`${m.caption ?? ''}${m.text ?? ''}`) && (m.photo !== undefined || /rejected|could not be processed/.test(m.text ?? '')));
      expect(about, `photo #${p.id}`).toHaveLength(1);
    }
    // Redis really died and was revived; bot and workers rode it out without a restart of their own.
    expect(redis.process.pid).not.toBe(pidBefore);
    expect(procs.map((p) => p.child.exitCode)).toEqual([null, null]);
  });
});
