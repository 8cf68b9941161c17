import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { className, invokeLinks } from '../../core/index.js';
import { runModelPath } from '../../store/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { seedStation } from '../../test/seed-photo.js';
import { FIXTURE_MODEL, FIXTURE_MODEL_ALT } from '../../vision/detector/test-fixtures.js';

/**
 * `/deploy` and `/predict` through the emulator with real queues, the ingest worker and
 * onnxruntime: the fixture models stand in for trained runs (detector-alt.onnx finds one
 * box, class 2, score 0.95, on any image).
 */
describe('/deploy and /predict', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  /** A completed training run of `station` with `model` as its ONNX file and `map50` as its metric. */
  function completedRun(station: string, model: string, map50: number): string {
    const { store, dataDir } = stack.env;
    const created = store.runs.create({ stationNo: station, kind: 'train', params: { epochs: 1 }, chatId: null });
    const id = created.run.id;
    store.runs.update(id, { status: 'completed', metrics: { map50 } });
    const file = runModelPath(dataDir, station, id);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(model, file);
    return id;
  }

  /** The message as the user reads it (the emulator keeps Telegram's HTML). */
  const text = (m: { text?: string }): string => (m.text ?? '').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const keyIn = (s: string, station: string): string | undefined => new RegExp(`tc_${station}_[A-Za-z0-9_-]{43}`).exec(s)?.[0];

  it('deploys the best run with URL, key, curl and page link and sends an annotated val photo; then only the prefix; New key revokes the old', async () => {
    const { env } = stack;
    await seedConfirmedStation(env, 'D01', 6101, 2, '11010519900307301');
    const weak = completedRun('D01', FIXTURE_MODEL, 0.41);
    const best = completedRun('D01', FIXTURE_MODEL_ALT, 0.82);
    // The recorded split names the val photo the sample is drawn on.
    const [first, second] = env.store.photos.list('D01').map((p) => p.id).sort((a, b) => a - b);
    if (first === undefined || second === undefined) throw new Error('two photos were seeded');
    env.store.dataset.recordSplit('D01', new Map([[first, 'train'], [second, 'val']]));
    const u = stack.emu.user(6101, { languageCode: 'en' });

    await u.sendText('/deploy');
    const msg = await u.waitFor((m) => text(m).includes('is now station D01'));
    expect(text(msg)).toContain(`${best} is now station D01's deployed model (mAP@0.5 0.820)`);
    expect(env.store.runs.deployed('D01')?.id).toBe(best);
    const links = invokeLinks(env.config, 'D01');
    expect(text(msg)).toContain(`POST ${links.detect}`);
    const key = keyIn(text(msg), 'D01');
    if (!key) throw new Error(`no key in ${text(msg)}`);
    expect(env.store.apiKeys.verify('D01', key)).toBe(true);
    expect(text(msg)).toContain(`curl -H "Authorization: Bearer ${key}" -F image=@photo.jpg ${links.detect}`);
    expect(text(msg)).toContain(invokeLinks(env.config, 'D01', key).page);
    expect(invokeLinks(env.config, 'D01', key).page).toContain(`/invoke/D01#key=${key}`);
    const buttons = msg.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    expect(buttons).toEqual(['🖼 Open the visual page', `🚀 Deploy ${weak} · mAP50 0.410`, '🔑 New key']);
    // Local chat (plain http): the page opens as a link carrying the new key in its fragment, not as a Mini App.
    const open = msg.reply_markup?.inline_keyboard.flat().find((b) => b.text === '🖼 Open the visual page');
    expect(open?.url).toBe(invokeLinks(env.config, 'D01', key).page);
    expect(open?.web_app).toBeUndefined();
    // The annotated prediction on a val photo arrives from the worker.
    const sample = await u.waitFor((m) => m.photo !== undefined && (m.caption ?? '').includes(best));
    expect(sample.caption).toContain(`val photo #${second} · 1 detection(s)`);
    expect(sample.caption).toContain(`1. ${className(env.exam.classes[2]!, 'en')} 0.95`);

    // Deploying again (another run by its button): the key is not shown again, only its prefix.
    await u.press(`🚀 Deploy ${weak} · mAP50 0.410`, { messageId: msg.message_id });
    const again = await u.waitFor((m) => text(m).includes(`${weak} is now station D01`));
    expect(env.store.runs.deployed('D01')?.id).toBe(weak);
    expect(keyIn(text(again), 'D01')).toBeUndefined();
    const prefix = env.store.apiKeys.info('D01')?.prefix;
    expect(prefix && text(again).includes(prefix)).toBe(true);
    expect(text(again)).toContain('curl -H "Authorization: Bearer <key>"');
    await u.waitFor((m) => m.photo !== undefined && (m.caption ?? '').includes(weak));

    // New key: a new clear key, the old one stops working.
    await u.press('🔑 New key', { messageId: again.message_id });
    const renewed = await u.waitFor((m) => text(m).includes('New key issued'));
    const newKey = keyIn(text(renewed), 'D01');
    if (!newKey) throw new Error(`no key in ${text(renewed)}`);
    expect(newKey).not.toBe(key);
    expect(env.store.apiKeys.verify('D01', newKey)).toBe(true);
    expect(env.store.apiKeys.verify('D01', key)).toBe(false);
  });

  it('with an https PUBLIC_URL the visual page opens as a Mini App (web_app, no key in the URL)', async () => {
    const https = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'ingest', PUBLIC_URL: 'https://copilot.example.org' } });
    try {
      await seedConfirmedStation(https.env, 'D05', 6105, 1, '11010519900307305');
      const { store, dataDir } = https.env;
      const created = store.runs.create({ stationNo: 'D05', kind: 'train', params: { epochs: 1 }, chatId: null });
      store.runs.update(created.run.id, { status: 'completed', metrics: { map50: 0.5 } });
      const file = runModelPath(dataDir, 'D05', created.run.id);
      mkdirSync(path.dirname(file), { recursive: true });
      copyFileSync(FIXTURE_MODEL_ALT, file);
      const u = https.emu.user(6105, { languageCode: 'en' });
      await u.sendText('/deploy');
      const msg = await u.waitFor((m) => text(m).includes('is now station D05'));
      const open = msg.reply_markup?.inline_keyboard.flat().find((b) => b.text === '🖼 Open the visual page');
      expect(open?.web_app?.url).toBe('https://copilot.example.org/invoke/D05');
      expect(open?.url).toBeUndefined();
      expect(text(msg)).toContain('POST https://copilot.example.org/api/v1/stations/D05/detect');
    } finally {
      await https.close();
    }
  });

  it('/predict: the next photo comes back annotated with the detections in the caption and is not captured', async () => {
    const { env } = stack;
    await seedConfirmedStation(env, 'D02', 6102, 1, '11010519900307302');
    const run = completedRun('D02', FIXTURE_MODEL_ALT, 0.7);
    env.store.runs.setDeployed(run);
    const before = env.store.photos.list('D02').length;
    const u = stack.emu.user(6102, { languageCode: 'en' });

    await u.sendText('/predict');
    await u.waitFor((m) => text(m).includes('Send one photo'));
    const photo = env.store.photos.list('D02')[0];
    if (!photo?.imagePath) throw new Error('no seeded photo');
    await u.sendPhoto(readFileSync(photo.imagePath));
    const answer = await u.waitFor((m) => m.photo !== undefined && (m.caption ?? '').includes(run));
    expect(answer.caption).toContain('your photo (not in the dataset) · 1 detection(s) at score ≥ 0.3');
    expect(answer.caption).toContain(`1. ${className(env.exam.classes[2]!, 'en')} 0.95`);
    expect(env.store.photos.list('D02').length).toBe(before);
    // One photo per /predict: the step is over.
    expect(env.store.users.get(6102)?.wizard ?? null).toBeNull();
  });

  it('/predict: a file that is not an image is refused by name; /capture ends the step, so the next photo is captured', async () => {
    const { env } = stack;
    seedStation(env, 'D04', 6104, '11010519900307304');
    env.store.runs.setDeployed(completedRun('D04', FIXTURE_MODEL_ALT, 0.6));
    const u = stack.emu.user(6104, { languageCode: 'en' });
    await u.sendText('/predict');
    const prompt = await u.waitFor((m) => text(m).includes('Send one photo'));
    await u.sendDocument(Buffer.from('%PDF-1.4 not a photo'), 'meter.jpg', { mimeType: 'image/jpeg' });
    await u.waitFor((m) => text(m).includes('That file could not be read as a photo'));
    expect(env.store.photos.list('D04')).toHaveLength(0);

    await u.sendText('/predict');
    const again = await u.waitFor((m) => text(m).includes('Send one photo') && m.message_id > prompt.message_id);
    expect(env.store.users.get(6104)?.wizard?.step).toBe('predict-wait');
    await u.sendText('/capture');
    await u.waitFor((m) => m.message_id > again.message_id && m.reply_markup !== undefined);
    expect(env.store.users.get(6104)?.wizard ?? null).toBeNull();
  });

  it('refuses /deploy with no completed run and /predict with nothing deployed', async () => {
    seedStation(stack.env, 'D03', 6103, '11010519900307303');
    const u = stack.emu.user(6103, { languageCode: 'en' });
    await u.sendText('/deploy');
    await u.waitFor((m) => text(m).includes('No completed training run to deploy yet'));
    await u.sendText('/predict');
    await u.waitFor((m) => text(m).includes('Nothing is deployed yet'));
    expect(stack.env.store.runs.deployed('D03')).toBeUndefined();
    expect(stack.env.store.apiKeys.info('D03')).toBeUndefined();
  });
});
