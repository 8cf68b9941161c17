import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stationPaths } from '../../store/index.js';
import { validId } from '../../test/harness.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';

/**
 * An ingest job that fails every attempt (the station's raw/ folder is a file, so the
 * original cannot be kept) is told: the photo is marked failed, not counted, and the chat
 * gets a Retry button that, once the cause is gone, ingests the photo after all.
 */
describe('an ingest job that fails for good', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  it('marks the photo failed, tells the chat with Retry, and Retry ingests it', async () => {
    const { emu, env } = stack;
    env.store.stations.create({ stationNo: 'F01', contestantName: 'F', idNumber: validId() });
    const u = emu.user(8101, { languageCode: 'en' });
    env.store.users.upsert({ userId: u.id, chatId: u.id, lang: 'en' });
    env.store.users.bindStation(u.id, 'F01', 'contestant');
    env.store.users.setActiveCombo(u.id, '2');
    const raw = stationPaths(env.dataDir, 'F01').raw;
    mkdirSync(stationPaths(env.dataDir, 'F01').root, { recursive: true });
    writeFileSync(raw, 'not a folder');

    const p = await renderRigPhoto({ seed: 41, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 });
    await u.sendPhoto(p.jpeg);
    const told = await u.waitFor((m) => (m.text ?? '').includes('could not be processed'), { timeoutMs: 60_000 });
    const [photo] = env.store.photos.list('F01');
    if (!photo) throw new Error('no photo');
    expect(told.text).toContain(`Photo #${photo.id} could not be processed after 5 attempts`);
    expect(photo.status).toBe('rejected');
    expect(photo.rejectReason).toBe('processing-failed');
    expect(env.store.photos.countByCombo('F01').size).toBe(0);
    expect(told.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['🔁 Retry']);

    // Another station cannot press it.
    const other = emu.user(8102, { languageCode: 'en' });
    env.store.stations.create({ stationNo: 'F02', contestantName: 'G', idNumber: validId('11010519900307124') });
    env.store.users.upsert({ userId: other.id, chatId: other.id, lang: 'en' });
    env.store.users.bindStation(other.id, 'F02', 'contestant');
    await other.sendText('/plan');
    const otherMsg = await other.nextMessage();
    const forged = await other.pressData(otherMsg.message_id, `v1:rp:${photo.id}`);
    expect((await other.callbackAnswer(forged)).text).toBe('This button is not yours.');
    expect(env.store.photos.get(photo.id)?.status).toBe('rejected');

    rmSync(raw);
    await u.press('🔁 Retry', { messageId: told.message_id });
    expect((await u.waitFor((m) => (m.text ?? '').includes('queued again'))).text).toContain(`Photo #${photo.id}`);
    const preview = await u.waitFor((m) => (m.caption ?? '').includes(`#${photo.id} · Digital meter 1/10`), { timeoutMs: 30_000 });
    expect(preview.caption).toContain('total 1/100');
    expect(env.store.photos.get(photo.id)?.status).toBe('prelabeled');
  }, 90_000);
});
