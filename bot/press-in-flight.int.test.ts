import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger, loadConfig } from '../core/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { loadExamConfigFile, openStore, type Store } from '../store/index.js';
import { TEST_TOKEN, tempDataDir, testPrefix, validId } from '../test/harness.js';
import { killProcess, startProcess } from '../test/processes.js';
import { testQueues } from '../test/queues.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';
import { startWorkers } from '../workers/run.js';

/**
 * Issue 16 point 4: the bot process is SIGKILLed while a Confirm press is in flight (killed
 * 0, 20 and 80 ms after the press, so the crash lands before, during and after the handler's
 * write). After the restart every press is answered (an update the killed process claimed but
 * never finished is handled by the new one); every photo ends confirmed exactly once, with the
 * label the button promised, and another tap changes nothing.
 */
describe('the bot restarted while a button press is in flight', () => {
  let emu: Emulator;
  const data = tempDataDir();
  let env: Record<string, string>;
  let store: Store;
  let workers: Awaited<ReturnType<typeof startWorkers>>;
  let queues: ReturnType<typeof testQueues>;
  /** The bot process now running (restarted by the test), killed in afterAll even when the test fails. */
  let running: ReturnType<typeof startProcess> | undefined;

  beforeAll(async () => {
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    const prefix = testPrefix();
    env = { TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: data.dir, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, WORKER_QUEUES: 'ingest' };
    store = openStore({ dataDir: data.dir });
    queues = testQueues(inject('redisUrl'), prefix);
    const config = loadConfig(env);
    workers = await startWorkers({ config, exam: loadExamConfigFile('config/exam.yaml'), store, log: createLogger({ name: 'w', level: 'silent' }), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx') });
    store.stations.create({ stationNo: 'PF1', contestantName: 'P', idNumber: validId('11010519900307777') });
    store.users.upsert({ userId: 4801, chatId: 4801, lang: 'en' });
    store.users.bindStation(4801, 'PF1', 'contestant');
    store.users.setActiveCombo(4801, '0+1+2');
  });

  afterAll(async () => {
    if (running) await killProcess(running.child);
    await workers.close();
    await queues.obliterate();
    await emu.close();
    store.close();
    data.cleanup();
  });

  it('confirms every photo exactly once whatever moment the crash hits', async () => {
    const u = emu.user(4801, { languageCode: 'en' });
    let bot = startProcess('bot/main.ts', env);
    running = bot;
    const delays = [0, 20, 80];
    const previews = [];
    for (const [i] of delays.entries()) {
      const p = await renderRigPhoto({ seed: 4800 + i, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width: 640, height: 480 });
      const sent = await u.sendPhoto(p.jpeg);
      previews.push(await u.waitFor((m) => m.message_id > sent.message_id && m.photo !== undefined && /Confirm (?:as is )?\(\d+ box/.test(JSON.stringify(m.reply_markup)), { timeoutMs: 60_000 }));
    }
    const photos = store.photos.list('PF1');
    expect(photos).toHaveLength(delays.length);

    for (const [i, delay] of delays.entries()) {
      const preview = previews[i];
      if (!preview) throw new Error('no preview');
      const q = await u.press(/Confirm (?:as is )?\(\d+ box/, { messageId: preview.message_id });
      await new Promise((r) => setTimeout(r, delay));
      await killProcess(bot.child);
      bot = startProcess('bot/main.ts', env);
      running = bot;
      const answer = await u.callbackAnswer(q, { timeoutMs: 20_000 }).catch(() => undefined);
      // Never lost: a claim the killed process left unfinished is the new process's to handle.
      expect(answer?.text, `press ${i + 1} (crash after ${delay} ms) was never answered`).toMatch(/confirmed|Already confirmed/);
      const isRedrawn = (m: { caption?: string }) => (m.caption ?? '').includes('Label confirmed');
      if (!(await u.waitForMessage(preview.message_id, isRedrawn, { timeoutMs: 8_000 }).catch(() => undefined))) {
        // Answered, then killed before the message was redrawn: the preview still shows Confirm, so the contestant taps it again.
        const again = await u.press(/Confirm (?:as is )?\(\d+ box/, { messageId: preview.message_id });
        expect((await u.callbackAnswer(again, { timeoutMs: 20_000 })).text).toBe('Already confirmed.');
        await u.waitForMessage(preview.message_id, isRedrawn, { timeoutMs: 15_000 });
      }
    }

    // Each photo confirmed exactly once, with the boxes the button promised; another tap changes nothing.
    const confirmed = store.labels.listConfirmed('PF1');
    expect(confirmed.map((c) => c.photo.id).sort()).toEqual(photos.map((p) => p.id).sort());
    const versions = photos.map((p) => store.labels.latest(p.id)?.version);
    for (const [i, p] of photos.entries()) {
      const promised = Number(/Confirm (?:as is )?\((\d+) box/.exec(JSON.stringify(previews[i]?.reply_markup))?.[1]);
      expect(store.labels.confirmed(p.id)?.length).toBe(promised);
    }
    const tap = await u.pressData(previews[0]?.message_id ?? 0, JSON.parse(JSON.stringify(previews[0]?.reply_markup)).inline_keyboard.flat().find((b: { text: string }) => /Confirm/.test(b.text)).callback_data);
    expect((await u.callbackAnswer(tap, { timeoutMs: 15_000 })).text).toBe('Already confirmed.');
    expect(photos.map((p) => store.labels.latest(p.id)?.version)).toEqual(versions);
    expect(store.photos.list('PF1')).toHaveLength(delays.length);
    await killProcess(bot.child, 'SIGTERM');
  });
});
