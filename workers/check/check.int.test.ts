import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { confirmBoxes, seedPhoto, seedStation } from '../../test/seed-photo.js';

/**
 * `/check` through the emulator: the worker measures the confirmed boxes against the
 * photos and lists what a judge would fail, with a button per photo; after the fixes,
 * Refresh edits the same message and the fixed findings are gone.
 */
describe('/check', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  it('lists a missed class, a loose box and an unconfirmed photo, opens a photo, and Refresh drops what was fixed', async () => {
    const { env } = stack;
    seedStation(env, 'K01', 5101, '11010519900307101');
    const missed = await seedPhoto(env, 'K01', ['gauge_normal', 'digital'], 1);
    const loose = await seedPhoto(env, 'K01', ['gauge_normal'], 5); // seed 705: its left side's edge is clear
    const unconfirmed = await seedPhoto(env, 'K01', ['digital'], 3);
    const good = await seedPhoto(env, 'K01', ['gauge_abnormal'], 4);
    confirmBoxes(env, missed.id, missed.boxes.filter((b) => b.classId === 0));
    const exact = loose.boxes[0];
    if (!exact) throw new Error('synthetic photo without a box');
    const looseBy = 12;
    confirmBoxes(env, loose.id, [{ ...exact, x1: exact.x1 - looseBy }]);
    env.store.labels.addVersion(unconfirmed.id, { kind: 'proposal', author: 'model', boxes: unconfirmed.boxes.map((b) => ({ ...b, source: 'model' as const, score: 0.9 })) });
    confirmBoxes(env, good.id, good.boxes);

    const u = stack.emu.user(5101, { languageCode: 'en' });
    await u.sendText('/check');
    const list = await u.waitFor((m) => (m.text ?? '').includes('Pre-acceptance check'));
    const text = list.text ?? '';
    expect(text).toContain(`#${unconfirmed.id}: labels not confirmed yet`);
    expect(text).toContain(`#${missed.id}: missed object: no Digital meter box`);
    expect(text).toMatch(new RegExp(`#${loose.id} box 1: loose: left \\+(1[0-4]) px`));
    expect(text).not.toContain(`#${good.id}`);
    expect(text).toMatch(/missed object 1/);
    // Most serious first: failures before warnings, and unconfirmed before missed objects before loose boxes.
    expect(text.indexOf(`#${unconfirmed.id}:`)).toBeLessThan(text.indexOf(`#${missed.id}:`));
    expect(text.indexOf(`#${missed.id}:`)).toBeLessThan(text.indexOf(`#${loose.id} box`));
    const buttons = list.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    expect(buttons).toEqual(expect.arrayContaining([`🔍 #${unconfirmed.id}`, `🔍 #${missed.id}`, `🔍 #${loose.id}`, '🔄 Refresh']));
    expect(buttons).not.toContain(`🔍 #${good.id}`);

    // A photo's button sends its pre-label preview (fix inline or open the editor).
    await u.press(`🔍 #${loose.id}`, { messageId: list.message_id });
    const preview = await u.waitFor((m) => m.photo !== undefined && (m.caption ?? '').includes(`#${loose.id}`));
    expect(preview.reply_markup?.inline_keyboard.flat().length).toBeGreaterThan(0);

    // Fix all three, then Refresh: the same message is edited and those findings are gone.
    confirmBoxes(env, missed.id, missed.boxes);
    confirmBoxes(env, loose.id, loose.boxes);
    confirmBoxes(env, unconfirmed.id, unconfirmed.boxes);
    await u.press('🔄 Refresh', { messageId: list.message_id });
    const fixed = await u.waitForMessage(list.message_id, (m) => !(m.text ?? '').includes(`#${unconfirmed.id}:`));
    expect(fixed.text).not.toContain(`#${missed.id}:`);
    expect(fixed.text).not.toContain(`#${loose.id} box`);
    expect(fixed.text).toContain('short quota'); // the station is far from its quotas: still listed
    expect(fixed.reply_markup?.inline_keyboard.flat().map((b) => b.text)).not.toContain(`🔍 #${loose.id}`);
  });

  it('snaps a loose box from the list: 📐 Snap moves the loose side in, saves it as the contestant\'s label and the finding goes', async () => {
    const { env } = stack;
    seedStation(env, 'K02', 5102, '11010519900307102');
    const loose = await seedPhoto(env, 'K02', ['gauge_normal'], 5); // seed 705: its left side's edge is clear
    const exact = loose.boxes[0];
    if (!exact) throw new Error('synthetic photo without a box');
    confirmBoxes(env, loose.id, [{ ...exact, x1: exact.x1 - 12 }]);
    const before = env.store.photos.get(loose.id)?.labelVersion;

    const u = stack.emu.user(5102, { languageCode: 'en' });
    await u.sendText('/check');
    const list = await u.waitFor((m) => (m.text ?? '').includes('Pre-acceptance check') && (m.text ?? '').includes(`#${loose.id}`));
    const buttons = list.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    expect(buttons).toContain(`📐 #${loose.id} Snap`);

    await u.press(`📐 #${loose.id} Snap`, { messageId: list.message_id });
    const fixed = await u.waitForMessage(list.message_id, (m) => !(m.text ?? '').includes(`#${loose.id} box 1`));
    expect(fixed.reply_markup?.inline_keyboard.flat().map((b) => b.text)).not.toContain(`📐 #${loose.id} Snap`);
    const photo = env.store.photos.get(loose.id);
    expect(photo?.status).toBe('confirmed');
    expect(photo?.labelVersion).toBeGreaterThan(before ?? Infinity);
    const label = env.store.labels.get(loose.id, photo?.labelVersion ?? -1);
    expect(label).toMatchObject({ kind: 'label', author: 5102 });
    const box = label?.boxes[0];
    // The left side came back to the gauge's edge; the other sides were not touched.
    expect(Math.abs((box?.x1 ?? NaN) - exact.x1)).toBeLessThanOrEqual(2);
    expect([box?.y1, box?.x2, box?.y2]).toEqual([exact.y1, exact.x2, exact.y2]);
  });
});
