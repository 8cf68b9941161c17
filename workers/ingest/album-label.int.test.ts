import { resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validId } from '../../test/harness.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';

/** Issue 11 point 13: after an album, its accepted photos are labelled in order; its rejections can be kept per photo. */
describe('album labeling', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  const photo = async (seed: number) => (await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 })).jpeg;

  it('offers the accepted photos one preview at a time, and "keep" for each rejected one', async () => {
    const { store } = stack.env;
    store.stations.create({ stationNo: 'AL1', contestantName: 'A', idNumber: validId() });
    store.users.upsert({ userId: 6001, chatId: 6001, lang: 'en' });
    store.users.bindStation(6001, 'AL1', 'contestant');
    store.users.setActiveCombo(6001, '2');
    const u = stack.emu.user(6001, { languageCode: 'en' });
    const blurry = await sharp(await photo(64)).blur(8).jpeg().toBuffer();
    await u.sendAlbum([{ buf: await photo(61) }, { buf: await photo(62) }, { buf: blurry }]);
    const summary = await u.waitFor((m) => (m.text ?? '').includes('Album of 3'), { timeoutMs: 30_000 });
    expect(summary.text).toContain('✅ 2 accepted · ❌ 1 rejected');
    const [first, second, third] = store.photos.list('AL1');
    const buttons = summary.reply_markup?.inline_keyboard.flat().map((b) => b.text);
    expect(buttons).toEqual(['🏷 Label these 2 photos', `↩ Keep #${third?.id}`]);

    await u.press('🏷 Label these 2 photos', { messageId: summary.message_id });
    expect((await u.waitFor((m) => (m.text ?? '').startsWith('🏷 Next photo of the album'))).text).toContain('(2 left)');
    const p1 = await u.waitFor((m) => (m.caption ?? '').startsWith(`#${first?.id} ·`), { timeoutMs: 15_000 });
    await u.press(/✅ Confirm/, { messageId: p1.message_id });
    expect((await u.waitFor((m) => m.message_id > p1.message_id && (m.text ?? '').startsWith('🏷 Next photo of the album'))).text).toContain('(1 left)');
    const p2 = await u.waitFor((m) => (m.caption ?? '').startsWith(`#${second?.id} ·`), { timeoutMs: 15_000 });
    await u.press(/✅ Confirm/, { messageId: p2.message_id });
    await u.waitFor((m) => m.text === '🎉 Every photo of this album is confirmed.');
    expect(store.photos.get(first?.id ?? 0)?.status).toBe('confirmed');
    expect(store.photos.get(second?.id ?? 0)?.status).toBe('confirmed');

    const q = await u.press(`↩ Keep #${third?.id}`, { messageId: summary.message_id });
    expect((await u.callbackAnswer(q)).text).toBe(`↩ Photo #${third?.id} restored`);
    const edited = await u.waitForMessage(summary.message_id, (m) => (m.reply_markup?.inline_keyboard.flat().length ?? 0) === 1);
    expect(edited.text).toContain('Album of 3');
    expect(store.photos.get(third?.id ?? 0)?.status).not.toBe('rejected');
  }, 90_000);
});
