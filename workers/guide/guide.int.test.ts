import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, runModelPath } from '../../store/index.js';
import { FIXTURE_MODEL } from '../../vision/detector/test-fixtures.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { validId } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { startWorkers } from '../run.js';

/** The message as the user reads it. */
const text = (m: { text?: string }): string => (m.text ?? '').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function register(stack: ChatStack, station: string, userId: number, lang: 'zh' | 'en' = 'en'): void {
  const { store } = stack.env;
  store.stations.create({ stationNo: station, contestantName: `C${station}`, idNumber: validId(`110105199003${String(userId).padStart(5, '0').slice(-5)}`) });
  store.users.upsert({ userId, chatId: userId, lang });
  store.users.bindStation(userId, station, 'contestant');
}

/** Free text, /ask, /timer, /status and milestones with the offline guide (no LLM configured), through the emulator and real queues. */
describe('the guide in the chat (offline)', () => {
  let stack: ChatStack;
  let restarted: Awaited<ReturnType<typeof startWorkers>> | undefined;
  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'guide', GUIDE_MILESTONES: 'on' }, name: 'guide' });
  });
  afterAll(async () => {
    await restarted?.close();
    await stack.close();
  });

  it('answers free text in the language it is written in, with the next action as a button that runs it', async () => {
    register(stack, 'G01', 7101);
    const u = stack.emu.user(7101, { languageCode: 'en' });
    await u.sendText('How far am I?');
    const a = await u.waitFor((m) => text(m).includes('photos captured'));
    expect(text(a)).toContain('Station G01: 0/100 photos captured; 0 labels confirmed');
    expect(text(a)).toContain('/timer starts the 120-minute countdown');
    await u.sendText('还剩多少时间？');
    const zh = await u.waitFor((m) => text(m).includes('考试计时还没开始'));
    expect(zh.reply_markup?.inline_keyboard.flat()[0]?.text).toBe('▶️ /timer');
    // The answer's button runs its command for the presser.
    await u.sendText('what is next, and how?');
    const next = await u.waitFor((m) => /capture/.test(text(m)) && (m.reply_markup?.inline_keyboard.flat().some((b) => b.text === '▶️ /capture') ?? false));
    await u.press('▶️ /capture', { messageId: next.message_id });
    await u.waitFor((m) => (m.reply_markup?.inline_keyboard.flat().some((b) => /0\/10/.test(b.text)) ?? false) && m.message_id > next.message_id);
  });

  it('/ask without a question says how; an unknown question lists what the guide answers', async () => {
    register(stack, 'G02', 7102);
    const u = stack.emu.user(7102, { languageCode: 'en' });
    await u.sendText('/ask');
    expect(text(await u.waitFor((m) => text(m).includes('Ask me about the exam')))).toContain('/ask what next?');
    await u.sendText('/ask what is the weather like?');
    expect(text(await u.waitFor((m) => text(m).startsWith('I can answer')))).toContain('how to use each command');
  });

  it('/timer starts the clock once, schedules its checkpoints as delayed jobs; /plan and /status show the time left', async () => {
    register(stack, 'G03', 7103);
    const u = stack.emu.user(7103, { languageCode: 'en' });
    await u.sendText('/timer');
    const started = await u.waitFor((m) => text(m).includes('The exam clock started'));
    expect(text(started)).toMatch(/120 minutes, ending at \d\d:\d\d \(server time\)\. I will check your pace at minutes 30\/60\/90\/110\./);
    const clock = stack.env.store.guide.clock('G03');
    if (!clock) throw new Error('no clock');
    for (const minute of [30, 60, 90, 110]) {
      const job = await stack.queues.queue('guide').getJob(`clock-G03-${clock.startedAt}-m${minute}`);
      expect(await job?.getState(), `checkpoint ${minute}`).toBe('delayed');
    }
    await u.sendText('/timer');
    expect(text(await u.waitFor((m) => text(m).includes('already running')))).toContain('120 min left of 120');
    expect(stack.env.store.guide.clock('G03')?.startedAt).toBe(clock.startedAt);
    await u.sendText('/plan');
    expect(text(await u.waitFor((m) => text(m).includes('Capture plan')))).toContain('⏱ 120 min left');
    await u.sendText('/status');
    const status = text(await u.waitFor((m) => text(m).includes('Station G03') && text(m).includes('Steps:')));
    expect(status).toContain('Photos: 0/100 captured');
    expect(status).toContain('⬜ capture');
    expect(status).toContain('⏱ 120 min left of 120');
  });

  it('reminds a station that is behind at a checkpoint, once; the clock and its reminders survive a restart of the workers', async () => {
    register(stack, 'G04', 7104);
    const u = stack.emu.user(7104, { languageCode: 'en' });
    // The clock started 31 minutes ago (a second store handle with that clock, as another process would have).
    const past = openStore({ dataDir: stack.env.dataDir, now: () => Date.now() - 31 * 60_000 });
    const r = past.guide.startClock('G04', 120, 7104, 'en');
    past.close();
    if (r.kind !== 'started') throw new Error(r.kind);
    const id = `clock-G04-${r.clock.startedAt}-m30`;
    // The workers restart: their recovery finds the clock and schedules what is not told yet.
    await stack.workers.close();
    restarted = await startWorkers({ config: stack.env.config, exam: stack.env.exam, store: stack.env.store, log: stack.log });
    expect(await stack.queues.waitForFinished('guide', id)).toBe('completed');
    const reminder = await u.waitFor((m) => text(m).includes('you are behind'));
    expect(text(reminder)).toBe('⏰ Minute 30 (89 min left): you are behind — capture should be done by now.\nNext: capture Pointer gauge (normal) (10 to go) — /capture.');
    expect(reminder.reply_markup?.inline_keyboard.flat()[0]?.callback_data).toBe('v1:gx:capture');
    expect(stack.env.store.guide.clock('G04')?.told).toEqual([30]);
    expect(await stack.queues.queue('guide').getJob(`clock-G04-${r.clock.startedAt}-m60`).then((j) => j?.getState())).toBe('delayed');
    // Told once: the same checkpoint again says nothing.
    await stack.queues.addAndWait('guide', 'clock-check', { stationNo: 'G04', startedAt: r.clock.startedAt, minute: 30 }, 'again-30');
    expect(u.messages().filter((m) => text(m).includes('you are behind'))).toHaveLength(1);
  });

  it('announces a milestone once, with what comes next', async () => {
    await seedConfirmedStation(stack.env, 'G05', 7105, 10, '11010519900307505');
    const u = stack.emu.user(7105, { languageCode: 'en' });
    for (const requestId of ['a', 'b']) {
      await stack.jobs.enqueue('milestones', { stationNo: 'G05', chatId: 7105, lang: 'en', requestId });
      expect(await stack.queues.waitForFinished('guide', `milestones-G05-${requestId}`)).toBe('completed');
    }
    const said = u.messages().filter((m) => text(m).includes('is full'));
    expect(said).toHaveLength(1);
    expect(text(said[0] ?? {})).toBe('✅ Pointer gauge (normal) + Pointer gauge (abnormal) + Digital meter is full (10/10); 10/100 photos in all.\nNext: capture Pointer gauge (normal) (10 to go) — /capture.');
    expect(stack.env.store.guide.milestones('G05')).toEqual(['combo:0+1+2']);
  });

  it('a deploy press makes the guide say the milestone and what comes next, once', async () => {
    register(stack, 'G06', 7106);
    const { store, dataDir } = stack.env;
    const run = store.runs.create({ stationNo: 'G06', kind: 'train', params: { epochs: 1 }, chatId: null }).run.id;
    store.runs.update(run, { status: 'completed', metrics: { map50: 0.5 } });
    const file = runModelPath(dataDir, 'G06', run);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(FIXTURE_MODEL, file);
    const u = stack.emu.user(7106, { languageCode: 'en' });
    await u.sendText('/status');
    const status = await u.waitFor((m) => text(m).includes('Station G06'));
    await u.pressData(status.message_id, `v1:dp:${run}`);
    // Both milestones are new (the run was made finished without the train worker): one message.
    const said = await u.waitFor((m) => text(m).includes(`✅ ${run} is deployed.`));
    expect(text(said)).toBe(`✅ Training ${run} finished: mAP50 0.500.\n✅ ${run} is deployed.\nNext: capture Pointer gauge (normal) (10 to go) — /capture.`);
    expect(store.guide.milestones('G06').sort()).toEqual([`deployed:${run}`, `trained:${run}`]);
    await u.sendText('/deploy');
    await u.waitFor((m) => text(m).includes(`Station G06's deployed model`) || text(m).includes('is now station G06'));
    await stack.jobs.enqueue('milestones', { stationNo: 'G06', chatId: 7106, lang: 'en', requestId: 'after' });
    expect(await stack.queues.waitForFinished('guide', 'milestones-G06-after')).toBe('completed');
    expect(u.messages().filter((m) => text(m).includes('is deployed.'))).toHaveLength(1);
  });
});
