import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestUser } from '../../emulator/index.js';
import { validId } from '../../test/harness.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { createWebServer } from '../../web/server.js';
import { editorRoutes } from '../../web/editor/index.js';
import { redrawOnSave } from '../../web/redraw.js';
import { ensureLinkSecret } from '../../store/index.js';
import { freePort } from '../../scripts/redis-local.js';

/**
 * Human–machine collaborative labeling in the chat: the detector (a tiny fixture ONNX
 * model with one fixed box, so the test knows what it proposes) pre-labels each
 * accepted photo; the contestant confirms with one tap, changes a class, deletes a box.
 */
describe('pre-labels confirmed inline', () => {
  let stack: ChatStack;
  let emu: ChatStack['emu'];
  let env: ChatStack['env'];
  let log: ChatStack['log'];
  const model = resolve('vision/detector/fixtures/detector-alt.onnx');

  async function photoFor(u: TestUser, seed: number, caption?: string) {
    const p = await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 });
    await u.sendPhoto(p.jpeg, caption ? { caption } : {});
    return u.nextMessage({ timeoutMs: 20_000 });
  }

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: model, env: { WORKER_QUEUES: 'ingest', WEB_PORT: String(await freePort()) } });
    ({ emu, env, log } = stack);
    env.store.stations.create({ stationNo: 'P01', contestantName: 'P', idNumber: validId() });
    for (const id of [5001, 5002]) {
      env.store.users.upsert({ userId: id, chatId: id, lang: 'en' });
    }
    env.store.users.bindStation(5001, 'P01', 'contestant');
    env.store.stations.create({ stationNo: 'P02', contestantName: 'Q', idNumber: validId('11010519900307124') });
    env.store.users.bindStation(5002, 'P02', 'contestant');
    env.store.users.setActiveCombo(5001, '2');
    env.store.stations.create({ stationNo: 'P04', contestantName: 'S', idNumber: validId('11010519900307126') });
    env.store.users.upsert({ userId: 5004, chatId: 5004, lang: 'en' });
    env.store.users.bindStation(5004, 'P04', 'contestant');
    env.store.users.setActiveCombo(5004, '2');
  });

  afterAll(() => stack.close());

  it('proposes boxes, confirms with one tap, and a double tap changes nothing', async () => {
    const u = emu.user(5001, { languageCode: 'en' });
    const msg = await photoFor(u, 21);
    expect(msg.photo?.length).toBeGreaterThan(0);
    expect(msg.caption).toContain('#1 · Digital meter 1/10 · total 1/100');
    expect(msg.caption).toContain('① Digital meter 0.95');
    const buttons = msg.reply_markup?.inline_keyboard.flat() ?? [];
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(['✅ Confirm (1 boxes)', '① class', '① delete', '✏️ Editor', '🗑 Discard photo']));
    expect(buttons.find((b) => b.text === '✏️ Editor')?.url).toMatch(/\/editor\?t=/);
    expect(env.store.photos.get(1)?.status).toBe('prelabeled');

    const q1 = await u.press('✅ Confirm (1 boxes)', { messageId: msg.message_id });
    expect((await u.callbackAnswer(q1)).text).toBe('✅ Photo #1 confirmed');
    const confirmed = await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes('Label confirmed (version 1)'));
    expect(confirmed.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['✏️ Editor']);
    expect(env.store.photos.get(1)?.status).toBe('confirmed');
    expect(env.store.labels.confirmed(1)).toHaveLength(1);

    const q2 = await u.pressData(msg.message_id, 'v1:pc:1:1');
    expect((await u.callbackAnswer(q2)).text).toBe('Already confirmed.');
    expect(env.store.labels.latest(1)?.version).toBe(1);
  });

  it('changes a class and deletes a box as new versions; old buttons go stale; others are refused', async () => {
    const u = emu.user(5001, { languageCode: 'en' });
    const msg = await photoFor(u, 22, 'gauge_normal+digital');
    expect(msg.caption).toContain('Pointer gauge (normal) + Digital meter 1/20');
    // The combo class with no box is said plainly (issue 14 point 5: the detector is unsure).
    expect(msg.caption).toMatch(/no box for Pointer gauge \(normal\)|① Pointer gauge \(normal\)/);
    const id = env.store.photos.list('P01').at(-1)?.id ?? -1;
    const v1 = env.store.labels.latest(id);
    const other = v1?.boxes[0]?.classId === 0 ? 'Digital meter' : 'Pointer gauge (normal)';

    await u.press('① class', { messageId: msg.message_id });
    await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes('Choose the class of ①'));
    await u.press(other, { messageId: msg.message_id });
    await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes(`① ${other}`));
    const v2 = env.store.labels.latest(id);
    expect(v2?.version).toBe(2);
    expect(v2?.kind).toBe('label');
    expect(v2?.boxes[0]?.source).toBe('human');

    const stale = await u.pressData(msg.message_id, `v1:pc:${id}:1`);
    expect((await u.callbackAnswer(stale)).text).toBe('This menu is outdated; send the command again.');

    const intruder = emu.user(5002, { languageCode: 'en' });
    await intruder.sendText('/help');
    const own = await intruder.nextMessage();
    const forged = await intruder.pressData(own.message_id, `v1:pd:${id}:2:0`);
    expect((await intruder.callbackAnswer(forged)).text).toBe('This button is not yours.');
    expect(env.store.labels.latest(id)?.version).toBe(2);

    await u.press('① delete', { messageId: msg.message_id });
    await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes('found no meter'));
    expect(env.store.labels.latest(id)?.boxes).toHaveLength(0);
    expect(env.store.photos.get(id)?.status).toBe('prelabeled');
  });

  it('a save in the box editor becomes the confirmed label and redraws the chat message', async () => {
    const u = emu.user(5001, { languageCode: 'en' });
    const msg = await photoFor(u, 23);
    const id = Number(/#(\d+)/.exec(msg.caption ?? '')?.[1]);
    const link = msg.reply_markup?.inline_keyboard.flat().find((b) => b.text === '✏️ Editor')?.url ?? '';
    const redraw = redrawOnSave({ store: env.store, jobs: stack.jobs, log });
    const server = createWebServer({ config: env.config, exam: env.exam, store: env.store, log }, editorRoutes({ config: env.config, exam: env.exam, store: env.store, log, linkSecret: ensureLinkSecret(env.dataDir), onSaved: redraw.onSaved }));
    await new Promise<void>((r) => server.listen(env.config.WEB_PORT, '127.0.0.1', () => r()));
    try {
      const token = new URL(link).searchParams.get('t') ?? '';
      const res = await fetch(`http://127.0.0.1:${env.config.WEB_PORT}/editor/api/save?t=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ boxes: [{ classId: 2, x1: 100, y1: 100, x2: 300, y2: 260 }, { classId: 2, x1: 500, y1: 300, x2: 700, y2: 500 }] }),
      });
      expect(res.status).toBe(200);
      await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes('② Digital meter') && (m.caption ?? '').includes('Label confirmed'), { timeoutMs: 15_000 });
      expect(env.store.photos.get(id)?.status).toBe('confirmed');
      expect(env.store.labels.confirmed(id)?.map((b) => b.source)).toEqual(['human', 'human']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('/label sends the oldest photo still waiting', async () => {
    const u = emu.user(5001, { languageCode: 'en' });
    await u.sendText('/label');
    expect((await u.nextMessage()).text).toContain('1 waiting for confirmation');
    const sent = await u.nextMessage({ timeoutMs: 15_000 });
    expect(sent.photo?.length).toBeGreaterThan(0);
    expect(sent.caption).toContain('#2 ·');
  });

  // Issue 11 point 6: the detector sure of a class outside the active combo is never relabelled silently.
  it('learns the station’s box correction from three edited photos and proposes the fourth corrected (issue 14)', async () => {
    const u = emu.user(5004, { languageCode: 'en' });
    // The fixture model always proposes 0.25…0.75 of the photo; the contestant's meter box is
    // tighter: 0.30…0.75 across, 0.25…0.70 down (fixed in the editor on each of three photos).
    const tight = (w: number, h: number) => ({ classId: 2, x1: 0.3 * w, y1: 0.25 * h, x2: 0.75 * w, y2: 0.7 * h, source: 'human' as const });
    for (const seed of [41, 42, 43]) {
      const msg = await photoFor(u, seed);
      expect(msg.caption).toContain('① Digital meter 0.95');
      const p = env.store.photos.list('P04').at(-1)!;
      const [model] = env.store.modelBoxes.pairs('P04', env.store.labels.latest(p.id)?.modelId ?? '', 10).at(0)?.proposed ?? [{ x1: 256, y1: 192, x2: 768, y2: 576 }];
      expect(model).toMatchObject({ x1: 256, y1: 192, x2: 768, y2: 576 });
      const v = env.store.labels.addVersion(p.id, { kind: 'label', author: 5004, boxes: [tight(1024, 768)] });
      expect(env.store.labels.confirm(p.id, v).kind).toBe('confirmed');
    }
    await photoFor(u, 44);
    const p4 = env.store.photos.list('P04').at(-1)!;
    const [box] = env.store.labels.latest(p4.id)?.boxes ?? [];
    // Proposed corrected (the snap may still move a side by a few pixels).
    expect(box?.x1).toBeCloseTo(0.3 * 1024, -1);
    expect(box?.y2).toBeCloseTo(0.7 * 768, -1);
    expect(box?.x2).toBeCloseTo(0.75 * 1024, -1);
    // The model's own box is kept to learn from; one record per photo.
    expect(env.store.modelBoxes.pairs('P04', env.store.labels.latest(p4.id)?.modelId ?? '', 10)).toHaveLength(3);
  });

  it('says when the model sees another combo and moves the photo there on a tap', async () => {
    env.store.stations.create({ stationNo: 'P03', contestantName: 'R', idNumber: validId('11010519900307125') });
    env.store.users.upsert({ userId: 5003, chatId: 5003, lang: 'en' });
    env.store.users.bindStation(5003, 'P03', 'contestant');
    env.store.users.setActiveCombo(5003, '0');
    const u = emu.user(5003, { languageCode: 'en' });
    const msg = await photoFor(u, 731);
    expect(msg.caption).toContain('Pointer gauge (normal) 1/10');
    expect(msg.caption).toContain('① Digital meter 0.95');
    expect(msg.caption).toContain('This looks like <b>Digital meter</b>, not Pointer gauge (normal). Count it there?');
    const id = Number(/#(\d+) ·/.exec(msg.caption ?? '')?.[1]);
    const q = await u.press('🔀 Count as Digital meter', { messageId: msg.message_id });
    expect((await u.callbackAnswer(q)).text).toBe(`🔀 Photo #${id} now counts as Digital meter`);
    const moved = await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes(`#${id} · Digital meter 1/10`));
    expect(moved.caption).not.toContain('This looks like');
    expect(env.store.photos.get(id)?.combo).toBe('2');
  });
});
