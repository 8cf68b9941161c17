import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { drawSample } from '../../core/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { confirmBoxes, seedPhoto, seedStation } from '../../test/seed-photo.js';

/**
 * `/review` through the emulator: draw the 20 % sample with a recorded seed, mark every
 * box, add a missed object, finish with the accuracy and its counts; a relabeled sampled
 * photo makes the review stale and a new draw records a new seed; past reviews are listed.
 */
describe('/review', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'ingest,report' } });
  });
  afterAll(() => stack.close());

  it('draw → mark → finish gives accuracy with counts; a relabel makes it stale; a new draw keeps the old review', async () => {
    const { env } = stack;
    seedStation(env, 'V01', 5201, '11010519900307201');
    const combos = [['gauge_normal'], ['digital'], ['gauge_normal', 'digital'], ['gauge_abnormal'], ['gauge_abnormal', 'digital'], ['gauge_normal', 'gauge_abnormal']];
    const photos = [];
    for (const [i, keys] of combos.entries()) {
      const p = await seedPhoto(env, 'V01', keys, 20 + i);
      confirmBoxes(env, p.id, p.boxes);
      photos.push(p);
    }
    const u = stack.emu.user(5201, { languageCode: 'en' });
    await u.sendText('/review');
    const menu = await u.waitFor((m) => (m.text ?? '').includes('Acceptance review'));
    expect(menu.text).toContain('20% of the labeled photos at random, at least one: 2 of your 6');
    const id = menu.message_id;
    const text = (m: { text?: string }): string => m.text ?? '';

    await u.press('🎲 Draw sample', { messageId: id });
    let page = await u.waitForMessage(id, (m) => text(m).includes('Photo 1/2'));
    const review = env.store.reviews.latest('V01');
    if (!review) throw new Error('no review recorded');
    const items = env.store.reviews.items(review.id);
    const sampled = [...new Set(items.map((i) => i.photoId))];
    // The recorded seed reproduces the sample.
    expect(sampled).toEqual(drawSample(photos.map((p) => p.id), 0.2, review.seed));
    expect(text(page)).toContain(`Review #${review.id}</b> · seed ${review.seed} · 2 of 6 labeled photos (20%)`);
    // The sampled photo arrives as a picture with its numbered boxes (a job; the bot decodes nothing).
    await u.waitFor((m) => m.photo !== undefined && (m.caption ?? '').includes(`Review #${review.id} · photo #${sampled[0]}`));

    const boxesOf = (photoId: number | undefined): number => items.filter((i) => i.photoId === photoId && i.boxId !== null).length;
    const total = boxesOf(sampled[0]) + boxesOf(sampled[1]);
    let marked = 0;
    const mark = async (label: string): Promise<void> => {
      await u.press(label, { messageId: id });
      marked++;
      page = await u.waitForMessage(id, (m) => text(m).includes(`Marked ${marked}/${total} boxes`));
    };
    await mark('1 ↔️ loose');
    for (let k = 2; k <= boxesOf(sampled[0]); k++) await mark(`${k} ✅`);
    expect(page.reply_markup?.inline_keyboard.flat().map((b) => b.text)).not.toContain('🏁 Finish');
    await u.press('+1 missed object', { messageId: id });
    page = await u.waitForMessage(id, (m) => text(m).includes('Missed objects on this photo: 1'));
    expect(text(page)).toContain('1. ');
    expect(text(page)).toContain('↔️ loose');
    await u.press('Next ▶', { messageId: id });
    page = await u.waitForMessage(id, (m) => text(m).includes('Photo 2/2'));
    for (let k = 1; k <= boxesOf(sampled[1]); k++) await mark(`${k} ✅`);
    await u.press('🏁 Finish', { messageId: id });
    const done = await u.waitForMessage(id, (m) => text(m).includes('Accuracy'));
    const pct = ((100 * (total - 1)) / (total + 1)).toFixed(1);
    expect(text(done)).toContain(`Accuracy <b>${pct}%</b> = ${total - 1} qualified / (${total} boxes + 1 missed) · loose 1 · wrong label 0`);
    expect(env.store.reviews.get(review.id)?.finishedAt).not.toBeNull();
    // The summary offers the stage-one report; one press makes it and removes the offer.
    const buttons = (m: { reply_markup?: { inline_keyboard: { text: string }[][] } }): string[] => m.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    expect(buttons(done)).toContain('📄 Stage-one report');
    expect(text(done)).toContain('Review finished');
    await u.press('📄 Stage-one report', { messageId: id });
    const after = await u.waitForMessage(id, (m) => !buttons(m).includes('📄 Stage-one report'));
    expect(text(after)).toContain(`Accuracy <b>${pct}%</b>`);
    expect(buttons(after)).toEqual(['🎲 Draw sample']);
    await u.waitFor((m) => (m.text ?? '').includes('Generating the dataset acceptance report'));
    const report = await u.waitFor((m) => m.document !== undefined, { timeoutMs: 60_000 });
    expect(report.caption).toContain(`acceptance accuracy ${pct}%`);
    // The acting user is recorded on every row they marked (a proctor's presses would carry the proctor's id).
    expect(env.store.reviews.items(review.id).filter((i) => i.boxId !== null).map((i) => i.reviewerId)).toEqual(Array(total).fill(5201));

    // A sampled photo gets a new confirmed label: the review is stale and offers a new draw.
    const relabeled = photos.find((p) => p.id === sampled[0]);
    if (!relabeled) throw new Error('sampled photo not seeded');
    confirmBoxes(env, relabeled.id, relabeled.boxes.map((b) => ({ ...b, x2: b.x2 - 1 })));
    await u.sendText('/review');
    const stale = await u.waitFor((m) => m.message_id !== id && text(m).includes('Stale'));
    expect(stale.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['🎲 Draw sample']);
    await u.press('🎲 Draw sample', { messageId: stale.message_id });
    await u.waitForMessage(stale.message_id, (m) => text(m).includes(`Review #${review.id + 1}`));
    const second = env.store.reviews.latest('V01');
    expect(second?.id).toBe(review.id + 1);
    expect(env.store.reviews.isStale(second?.id ?? 0)).toBe(false);
    // Reviews are kept: the overview lists the first with its accuracy.
    await u.sendText('/review');
    const overview = await u.waitFor((m) => text(m).includes('Past reviews'));
    expect(text(overview)).toContain(`#${review.id} · `);
    expect(text(overview)).toContain(`2 photos · ${pct}%`);
  });
});
