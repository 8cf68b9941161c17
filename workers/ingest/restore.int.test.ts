import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validId } from '../../test/harness.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { proposalView, stationPaths } from '../../store/index.js';
import { capturePlan, proposalCaption, type RejectReason } from '../../core/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';

/**
 * Restoring a rejected photo ("↩ Restore" in /clean, "↩ Keep anyway" on a rejection):
 * the same quota and duplicate rules as ingest, and the detector runs on it.
 */
describe('restore', () => {
  let stack: ChatStack;
  let n = 0;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  function station(no: string, userId: number): void {
    const { store } = stack.env;
    store.stations.create({ stationNo: no, contestantName: no, idNumber: validId(`110105199003${String(userId).padStart(5, '0')}`) });
    store.users.upsert({ userId, chatId: userId, lang: 'en' });
    store.users.bindStation(userId, no, 'contestant');
  }

  /** A photo row with a real image: accepted (in images/) or rejected with `reason` (in rejected/). */
  async function addPhoto(no: string, combo: string, opts: { reject?: RejectReason; sha?: string; duplicateOf?: number } = {}): Promise<number> {
    const { store, dataDir } = stack.env;
    const paths = stationPaths(dataDir, no);
    const i = ++n;
    const rig = await renderRigPhoto({ seed: 500 + i, classes: DEFAULT_CLASSES, combo: ['gauge_normal'], width: 640, height: 480 });
    const { photo } = store.photos.receive({ stationNo: no, tgFileId: `f${i}`, tgFileUniqueId: `u${i}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: i, combo });
    const dir = opts.reject ? paths.rejected : paths.images;
    mkdirSync(dir, { recursive: true });
    mkdirSync(paths.images, { recursive: true });
    const path = join(dir, `${photo.id}.jpg`);
    writeFileSync(path, rig.jpeg);
    const fields = { sha256: opts.sha ?? `sha${i}`, phash: null, format: 'jpeg', width: 640, height: 480, sharpness: 300, meanLuma: 120, darkFraction: 0, brightFraction: 0, rawPath: path, imagePath: path };
    store.photos.complete(photo.id, opts.reject
      ? { ...fields, status: 'rejected', rejectReason: opts.reject, rejectDetail: null, duplicateOf: opts.duplicateOf ?? null }
      : { ...fields, status: 'clean' });
    return photo.id;
  }

  it('nine restores into a combo at 2/10 stop at 10/10, say the combo is full and offer a photo to replace', async () => {
    station('R01', 4001);
    for (let i = 0; i < 2; i++) await addPhoto('R01', '0');
    const small: number[] = [];
    for (let i = 0; i < 9; i++) small.push(await addPhoto('R01', '0', { reject: 'too-small' }));
    const u = stack.emu.user(4001, { languageCode: 'en' });
    await u.sendText('/clean');
    const menu = await u.nextMessage();
    const queries = await Promise.all(small.map((id) => u.pressData(menu.message_id, `v1:cr:${id}`)));
    const answers = await Promise.all(queries.map((q) => u.callbackAnswer(q)));

    expect(stack.env.store.photos.countByCombo('R01').get('0')).toBe(10);
    expect(answers.filter((a) => /^↩ Photo #\d+ restored$/.test(a.text ?? ''))).toHaveLength(8);
    expect(answers.filter((a) => /combo Pointer gauge \(normal\) is full/.test(a.text ?? ''))).toHaveLength(1);
    const full = await u.waitFor((m) => (m.text ?? '').includes('is full'));
    expect(full.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['🔁 Pick a photo to replace (Pointer gauge (normal))']);
    // The replace button lists that combo's accepted photos, each removable.
    await u.press(/Pick a photo to replace/, { messageId: full.message_id });
    const list = await u.waitForMessage(full.message_id, (m) => (m.text ?? '').includes('Accepted photos'));
    expect(list.reply_markup?.inline_keyboard.flat().filter((b) => /^#\d+ /.test(b.text))).toHaveLength(8);
  });

  it('a restored photo is pre-labelled by a job, and its preview never claims a detection that did not run', async () => {
    station('R02', 4002);
    // An accepted photo the detector has not seen: its caption must not report a detection.
    const unseen = stack.env.store.photos.get(await addPhoto('R02', '1'));
    if (!unseen) throw new Error('seeded photo missing');
    const caption = proposalCaption(proposalView(stack.env.store, stack.env.exam, unseen, 'en'), stack.env.exam.classes, 'en');
    expect(caption).toContain('has not pre-labelled this photo yet');
    expect(caption).not.toMatch(/found no meter|Possibly missed/);

    const id = await addPhoto('R02', '0', { reject: 'blurry' });
    const u = stack.emu.user(4002, { languageCode: 'en' });
    await u.sendText('/clean');
    const menu = await u.nextMessage();
    expect((await u.callbackAnswer(await u.pressData(menu.message_id, `v1:cr:${id}`))).text).toContain(`Photo #${id} restored`);
    expect((await u.nextMessage()).text).toContain('the model is pre-labelling it');
    const preview = await u.nextMessage({ timeoutMs: 15_000 });
    expect(preview.caption).toContain(`#${id} · Pointer gauge (normal) 1/10`);
    expect(stack.env.store.labels.latest(id)).toMatchObject({ kind: 'proposal' });
    expect(stack.env.store.photos.get(id)?.status).toBe('prelabeled');

    // A second restore of the same photo (after a removal) gets a job of its own.
    expect(stack.env.store.photos.remove(id).kind).toBe('removed');
    await u.callbackAnswer(await u.pressData(menu.message_id, `v1:cr:${id}`));
    expect((await u.nextMessage()).text).toContain('pre-labelling');
    expect((await u.nextMessage({ timeoutMs: 15_000 })).caption).toContain(`#${id} ·`);
  });

  it('refuses "keep anyway" at 100/100 and for an exact duplicate, with the reason', async () => {
    station('R03', 4003);
    const twin = await addPhoto('R03', '0', { sha: 'same' });
    const dup = await addPhoto('R03', '0', { reject: 'exact-duplicate', sha: 'same', duplicateOf: twin });
    const near = await addPhoto('R03', '1', { reject: 'near-duplicate', duplicateOf: twin });
    const u = stack.emu.user(4003, { languageCode: 'en' });
    await u.sendText('/clean');
    const menu = await u.nextMessage();
    const a = await u.callbackAnswer(await u.pressData(menu.message_id, `v1:cr:${dup}`));
    expect(a.text).toContain(`identical to accepted photo #${twin} and cannot be kept`);
    expect((await u.nextMessage()).text).toContain('the judges sample photos');
    expect(stack.env.store.photos.get(dup)?.status).toBe('rejected');
    // No restore button on an exact duplicate in /clean either.
    await u.pressData(menu.message_id, `v1:cv:${dup}`);
    expect((await u.nextMessage()).reply_markup).toBeUndefined();

    const b = await u.callbackAnswer(await u.pressData(menu.message_id, `v1:cr:${near}`));
    expect(b.text).toContain(`Photo #${near} restored`);
    expect((await u.nextMessage()).text).toContain(`nearly identical to photo #${twin}`);

    // Fill the whole plan, then "keep anyway" on one more photo.
    for (const item of capturePlan(stack.env.exam)) {
      const have = stack.env.store.photos.countByCombo('R03').get(item.combo) ?? 0;
      for (let i = have; i < item.quota; i++) await addPhoto('R03', item.combo);
    }
    const extra = await addPhoto('R03', '2', { reject: 'blurry' });
    const c = await u.callbackAnswer(await u.pressData(menu.message_id, `v1:cr:${extra}`));
    expect(c.text).toContain('is full');
    const total = [...stack.env.store.photos.countByCombo('R03').values()].reduce((x, y) => x + y, 0);
    expect(total).toBe(100);
  }, 60_000);

  it('/label before any photo says so; /clean lists go back and /clean N opens one photo', async () => {
    station('R04', 4004);
    const u = stack.emu.user(4004, { languageCode: 'en' });
    await u.sendText('/label');
    expect((await u.nextMessage()).text).toBe('No accepted photo to label yet: send /capture to pick a combo, then send photos.');

    const id = await addPhoto('R04', '0', { reject: 'blurry' });
    await u.sendText('/clean');
    const menu = await u.nextMessage();
    await u.press(/Rejected photos \(1\)/);
    const list = await u.waitForMessage(menu.message_id, (m) => (m.text ?? '').includes('page 1/1'));
    expect(list.text).toContain('/clean NUMBER');
    await u.press('↩ Back', { messageId: menu.message_id });
    await u.waitForMessage(menu.message_id, (m) => (m.text ?? '').includes('1 rejected'));

    await u.sendText(`/clean ${id}`);
    const view = await u.nextMessage();
    expect(view.caption).toContain(`#${id}`);
    expect(view.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['↩ Restore']);
    await u.sendText('/clean 99999');
    expect((await u.nextMessage()).text).toBe('This station has no photo #99999.');
  });
});
