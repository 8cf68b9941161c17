import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Message, TestUser } from '../../emulator/index.js';
import { validId } from '../../test/harness.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { createWebServer } from '../../web/server.js';
import { editorRoutes } from '../../web/editor/index.js';
import { ensureLinkSecret } from '../../store/index.js';
import { freePort } from '../../scripts/redis-local.js';
// The editor page's own module (plain ES module): which class it selects for drawing when it opens.
import { initialDrawClass } from '../../web/editor/static/editor-boxes.js';

/**
 * Issue 14 point 5: when the detector is unsure — a class of the photo's combo has no box, or
 * its best score is below `labeling.sureScore` — the preview says so plainly and its main
 * button opens the editor (with the missing class selected there), instead of the confident
 * one-tap Confirm. The detector is a fixture ONNX model with one fixed box (Digital meter,
 * score 0.95), so each case knows what it proposes.
 */
describe('honest previews when the detector is unsure', () => {
  let stack: ChatStack;
  let server: ReturnType<typeof createWebServer>;
  const model = resolve('vision/detector/fixtures/detector-alt.onnx');
  let seed = 40;

  async function send(u: TestUser, combo: string[]): Promise<Message> {
    const p = await renderRigPhoto({ seed: seed++, classes: DEFAULT_CLASSES, combo, width: 1024, height: 768 });
    await u.sendPhoto(p.jpeg, { caption: combo.join('+') });
    return u.nextMessage({ timeoutMs: 20_000 });
  }
  const rows = (m: Message) => (m.reply_markup?.inline_keyboard ?? []).map((r) => r.map((b) => b.text));

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: model, env: { WORKER_QUEUES: 'ingest', WEB_PORT: String(await freePort()) } });
    const { env } = stack;
    env.store.stations.create({ stationNo: 'U01', contestantName: 'U', idNumber: validId() });
    env.store.users.upsert({ userId: 6001, chatId: 6001, lang: 'en' });
    env.store.users.bindStation(6001, 'U01', 'contestant');
    env.store.stations.create({ stationNo: 'U02', contestantName: 'V', idNumber: validId('11010519900307124') });
    env.store.users.upsert({ userId: 6002, chatId: 6002, lang: 'zh' });
    env.store.users.bindStation(6002, 'U02', 'contestant');
    server = createWebServer({ config: env.config, exam: env.exam, store: env.store, log: stack.log }, editorRoutes({ config: env.config, exam: env.exam, store: env.store, log: stack.log, linkSecret: ensureLinkSecret(env.dataDir), onSaved: () => undefined }));
    await new Promise<void>((r) => server.listen(env.config.WEB_PORT, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await stack.close();
  });

  it('a confident proposal of the whole combo keeps the one-tap Confirm first', async () => {
    const msg = await send(stack.emu.user(6001, { languageCode: 'en' }), ['digital']);
    expect(msg.caption).toContain('① Digital meter 0.95');
    expect(msg.caption).not.toContain('not sure');
    expect(rows(msg)[0]).toEqual(['✅ Confirm (1 boxes)']);
  });

  it('a combo class with no box: says so, leads with the editor, which opens with that class selected', async () => {
    const u = stack.emu.user(6001, { languageCode: 'en' });
    const msg = await send(u, ['gauge_normal', 'digital']);
    expect(msg.caption).toContain('🤔 The model is not sure of this photo: no box for Pointer gauge (normal).');
    expect(msg.caption).not.toContain('Possibly missed'); // said once, plainly
    const buttons = msg.reply_markup?.inline_keyboard.flat() ?? [];
    expect(rows(msg)[0]).toEqual(['✏️ Draw Pointer gauge (normal) in the editor']);
    expect(buttons.map((b) => b.text)).not.toContain('✅ Confirm (1 boxes)');
    expect(buttons.map((b) => b.text)).toContain('☑️ Confirm as is (1 boxes)');

    const link = buttons[0]?.url ?? '';
    const token = new URL(link).searchParams.get('t') ?? '';
    const res = await fetch(`http://127.0.0.1:${stack.env.config.WEB_PORT}/editor/api/photo?t=${encodeURIComponent(token)}`);
    expect(res.status).toBe(200);
    const data = (await res.json()) as { classes: Array<{ id: number }>; comboClassIds: number[]; boxes: Array<{ classId: number }> };
    expect(data.boxes.map((b) => b.classId)).toEqual([2]);
    expect(initialDrawClass(data.classes, data.comboClassIds, data.boxes)).toBe(0);

    // Confirming as is still works (the contestant's call), and the confirmed message says nothing unsure.
    const id = Number(/#(\d+) ·/.exec(msg.caption ?? '')?.[1]);
    await u.press('☑️ Confirm as is (1 boxes)', { messageId: msg.message_id });
    const done = await u.waitForMessage(msg.message_id, (m) => (m.caption ?? '').includes('Label confirmed'));
    expect(done.caption).not.toContain('not sure');
    expect(stack.env.store.photos.get(id)?.status).toBe('confirmed');
  });

  it('a best score below labeling.sureScore: says so with the figures and leads with the editor (zh)', async () => {
    const before = stack.env.exam.labeling.sureScore;
    stack.env.exam.labeling.sureScore = 0.96; // the fixture's only box scores 0.95
    try {
      const msg = await send(stack.emu.user(6002, { languageCode: 'zh' }), ['digital']);
      expect(msg.caption).toContain('🤔 模型对这些框没有把握（最高分 0.95，0.96 以上才算有把握）');
      expect(rows(msg)[0]).toEqual(['✏️ 在编辑器中检查']);
      expect(rows(msg).flat()).toContain('☑️ 按原样确认（1 个框）');
      expect(rows(msg).flat()).not.toContain('✅ 确认（1 个框）');
    } finally {
      stack.env.exam.labeling.sureScore = before;
    }
  });
});
