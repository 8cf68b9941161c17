import type { Job } from 'bullmq';
import { Markup } from 'telegraf';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  answerOffline,
  answerWithModel,
  checkGuideEndpoint,
  createGuideModel,
  milestoneText,
  newMilestones,
  paceReminder,
  type GuideAnswer,
  type GuideButton,
} from '../../agents/index.js';
import {
  bestEffort,
  checkpoints,
  clockCheckJobSchema,
  guideJobSchema,
  isCheckpointCurrent,
  milestonesJobSchema,
  t,
  TransientError,
  type Config,
  type GuideJob,
  type Lang,
} from '../../core/index.js';
import type { Processor, WorkerDeps } from '../processors.js';
import { readGuideFacts } from './facts.js';

/**
 * The guide queue: answers questions (`guide`), announces milestones once (`milestones`) and
 * tells the exam clock's checkpoints (`clock-check`, delayed jobs). With `OPENAI_API_KEY` the
 * LangChain agent answers, else the offline guide; both read the same facts through the same tools.
 */

/** One model per config (per process); tests may put their own (`fakeModel()`) for a config. */
const models = new WeakMap<Config, BaseChatModel | null>();

/** Makes `model` answer for workers started with `config` (tests; the default is ChatOpenAI from the config). */
export function useGuideModel(config: Config, model: BaseChatModel | null): void {
  models.set(config, model);
}

function modelFor(config: Config): BaseChatModel | undefined {
  if (!models.has(config)) models.set(config, createGuideModel(config) ?? null);
  return models.get(config) ?? undefined;
}

/** How early a checkpoint job may run and still count as due, ms. */
const EARLY_SLACK_MS = 5000;

/** Configs whose endpoint was checked (once per process). */
const checked = new WeakSet<Config>();

const keyboard = (lang: Lang, b: GuideButton | undefined) => (b ? Markup.inlineKeyboard([[Markup.button.callback(t(lang, b.label, b.params), b.callback)]]).reply_markup : undefined);

const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function answer(job: GuideJob, deps: WorkerDeps): Promise<unknown> {
  const { chatId, lang } = job;
  const facts = readGuideFacts(deps.store, deps.exam, job.stationNo, Date.now());
  const ctx = { facts, lang };
  const model = modelFor(deps.config);
  let result: GuideAnswer;
  let thinking: Promise<number | undefined> | undefined;
  let fallback: string | undefined;
  if (!model) result = answerOffline(job.text, ctx);
  else {
    // The chat hears "thinking…" when the model is slow; the answer then replaces it.
    const timer = setTimeout(() => {
      thinking = deps.telegram.sendMessage(chatId, t(lang, 'guide.thinking')).then(
        (m) => m.message_id,
        () => undefined,
      );
    }, deps.config.GUIDE_THINKING_MS);
    try {
      result = await answerWithModel({
        model,
        question: job.text,
        ctx,
        history: deps.store.guide.memory(chatId),
        timeoutMs: deps.config.GUIDE_TIMEOUT_MS,
        onFallback: (why, err) => {
          fallback = why;
          deps.log.warn({ chatId, why, err: err instanceof Error ? err.message.slice(0, 200) : String(err) }, 'guide: the model failed; the offline guide answered');
        },
      });
    } finally {
      clearTimeout(timer);
    }
  }
  const markup = keyboard(lang, result.button);
  const thinkingId = thinking ? await thinking : undefined;
  if (thinkingId !== undefined) {
    await deps.telegram.editMessageText(chatId, thinkingId, undefined, result.text, { parse_mode: 'HTML', ...(markup ? { reply_markup: markup } : {}) });
  } else {
    await deps.telegram.sendMessage(chatId, result.text, { parse_mode: 'HTML', ...(markup ? { reply_markup: markup } : {}) });
  }
  deps.store.guide.remember(chatId, 'user', job.text);
  deps.store.guide.remember(chatId, 'assistant', plain(result.text));
  deps.log.info({ chatId, source: result.source, tools: result.tools, fallback }, 'guide answered');
  return { source: result.source, tools: result.tools, ...(fallback ? { fallback } : {}) };
}

async function milestones(data: unknown, deps: WorkerDeps): Promise<unknown> {
  const job = milestonesJobSchema.parse(data);
  const facts = readGuideFacts(deps.store, deps.exam, job.stationNo, Date.now());
  // Recorded before it is sent: a milestone is said at most once, even by two workers at once.
  const fresh = newMilestones(facts, deps.store.guide.milestones(job.stationNo)).filter((k) => deps.store.guide.markMilestone(job.stationNo, k));
  if (!fresh.length) return { said: [] };
  const a = milestoneText(fresh, facts, job.lang);
  const markup = keyboard(job.lang, a.button);
  await deps.telegram.sendMessage(job.chatId, a.text, { parse_mode: 'HTML', ...(markup ? { reply_markup: markup } : {}) });
  return { said: fresh };
}

async function clockCheck(data: unknown, deps: WorkerDeps): Promise<unknown> {
  const job = clockCheckJobSchema.parse(data);
  const clock = deps.store.guide.clock(job.stationNo);
  if (!clock || clock.startedAt !== job.startedAt) return { kind: 'no-clock' };
  // A delayed job may start a hair early when the clock's start was read by another process.
  const now = Math.max(Date.now(), clock.startedAt + job.minute * 60_000 - EARLY_SLACK_MS);
  // A checkpoint whose successor is already due (the workers were down) is skipped, not told late.
  if (!isCheckpointCurrent(clock.startedAt, clock.durationMin, job.minute, now)) {
    if (now >= clock.startedAt + job.minute * 60_000) deps.store.guide.markCheckpoint(job.stationNo, job.minute);
    else throw new TransientError(`clock checkpoint ${job.minute} of ${job.stationNo} ran early; retried`);
    return { kind: 'skipped' };
  }
  if (!deps.store.guide.markCheckpoint(job.stationNo, job.minute)) return { kind: 'told-before' };
  const facts = readGuideFacts(deps.store, deps.exam, job.stationNo, now);
  const reminder = paceReminder(facts, job.minute, clock.lang);
  if (!reminder) return { kind: 'on-pace' };
  const markup = keyboard(clock.lang, reminder.button);
  await deps.telegram.sendMessage(clock.chatId, reminder.text, { parse_mode: 'HTML', ...(markup ? { reply_markup: markup } : {}) });
  return { kind: 'behind' };
}

/**
 * Puts a delayed job on the queue for every checkpoint of every running clock not yet told
 * (same job ids: a no-op when they exist), and a milestone check for those stations. Run at
 * start-up and by the sweep, so a restart or a Redis that lost its data keeps the reminders.
 */
export async function scheduleClocks(deps: WorkerDeps, now = Date.now()): Promise<number> {
  let added = 0;
  for (const clock of deps.store.guide.clocks()) {
    const endsAt = clock.startedAt + clock.durationMin * 60_000;
    if (now >= endsAt) continue;
    for (const minute of checkpoints(clock.durationMin)) {
      if (clock.told.includes(minute)) continue;
      const at = clock.startedAt + minute * 60_000;
      await deps.jobs.enqueue('clock-check', { stationNo: clock.stationNo, startedAt: clock.startedAt, minute }, { delay: Math.max(0, at - now) });
      added++;
    }
    if (deps.config.GUIDE_MILESTONES === 'on') await deps.jobs.enqueue('milestones', { stationNo: clock.stationNo, chatId: clock.chatId, lang: clock.lang, requestId: `sweep-${Math.floor(now / 60_000)}` });
  }
  return added;
}

export const guideProcessor: Processor = {
  concurrency: () => 4,
  async process(job: Job, deps: WorkerDeps) {
    switch (job.name) {
      case 'milestones':
        return milestones(job.data, deps);
      case 'clock-check':
        return clockCheck(job.data, deps);
      default:
        return answer(guideJobSchema.parse(job.data), deps);
    }
  },
  /** A question whose job failed for good still gets an answer: the apology in the user's language. */
  async failed(job: Job, _err: Error, deps: WorkerDeps) {
    if (job.name !== 'guide') return;
    const p = guideJobSchema.safeParse(job.data);
    if (!p.success) return;
    await bestEffort(deps.telegram.sendMessage(p.data.chatId, t(p.data.lang, 'guide.queueDown')), deps.log, 'guide failure message');
  },
  async recover(deps: WorkerDeps) {
    if (!checked.has(deps.config)) {
      checked.add(deps.config);
      // One clear log line about the LLM endpoint; never blocks start-up (the guide falls back per turn).
      void checkGuideEndpoint(deps.config, deps.log);
    }
    await scheduleClocks(deps);
  },
};
