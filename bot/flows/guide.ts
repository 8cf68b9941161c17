import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { checkpoints, clockTime, decodeCallback, matchIntent, redactText, t, writtenLang, type CallbackAction } from '../../core/index.js';
import { COMMANDS } from '../commands.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { requireStation } from '../guards.js';
import { clockLineFor, statusText } from './status.js';

/**
 * The guide in the chat (issue 15): `/ask` and free text go to the guide queue (the worker
 * answers, with the LLM or offline); `/timer` starts the station's exam clock and schedules
 * its checkpoints; `/status` is the one-message station status; a guide answer's button
 * (`gx`) runs its command for the presser. Milestones reached by a press (a label confirmed,
 * a review finished, a run deployed) ask the guide to announce what comes next.
 */

/** Presses after which the station may have reached a milestone. */
const MILESTONE_PRESSES: ReadonlySet<CallbackAction> = new Set(['pc', 'rf', 'dp']);

/**
 * Sends `text` to the guide; false when the queue did not take it (the caller answers instead).
 * Without an LLM, a question the offline guide does not understand is answered here at once
 * (the list of what it can answer), so it gets an answer even while no worker runs.
 */
export async function askGuide(ctx: BotContext, deps: BotDeps, text: string, requestId: number): Promise<boolean> {
  if (!ctx.chat) return false;
  const stationNo = ctx.account?.stationNo ?? undefined;
  // An ID number goes no further than the bot: masked before the job is queued.
  const clean = redactText(text).slice(0, 2000);
  const lang = writtenLang(clean, ctx.lang);
  if (!deps.config.OPENAI_API_KEY && matchIntent(clean).tool === 'unknown') {
    await ctx.reply(t(lang, 'guide.unknown'), { parse_mode: 'HTML' });
    return true;
  }
  try {
    await deps.jobs.enqueue('guide', { ...(stationNo ? { stationNo } : {}), chatId: ctx.chat.id, lang, text: clean, requestId });
    return true;
  } catch (err) {
    deps.log.warn({ err }, 'could not queue a guide question');
    return false;
  }
}

/** Asks the guide to announce milestones of the user's station (best effort; one job per update). */
export async function nudgeGuide(ctx: BotContext, deps: BotDeps): Promise<void> {
  const stationNo = ctx.account?.stationNo;
  if (!stationNo || !ctx.chat || deps.config.GUIDE_MILESTONES === 'off') return;
  await deps.jobs
    .enqueue('milestones', { stationNo, chatId: ctx.chat.id, lang: ctx.lang, requestId: `u${ctx.update.update_id}` })
    .catch((err: unknown) => deps.log.warn({ err }, 'could not ask the guide for milestones'));
}

/** Runs `/command` for the presser of a button, as if they had sent it (the same handlers, the same checks). */
async function runCommand(bot: Telegraf<BotContext>, ctx: BotContext, command: string): Promise<void> {
  const chat = ctx.chat;
  const from = ctx.from;
  const messageId = ctx.callbackQuery?.message?.message_id;
  if (!chat || !from || messageId === undefined) return;
  const text = `/${command}`;
  const update = {
    update_id: ctx.update.update_id,
    message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, from, text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] },
  } as unknown as Update;
  await bot.handleUpdate(update);
}

export const guideFlow: Flow = {
  name: 'guide',
  register(bot, deps, actions) {
    bot.use(async (ctx, next) => {
      await next();
      const data = ctx.callbackQuery && 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
      const cb = decodeCallback(data);
      if (cb && MILESTONE_PRESSES.has(cb.action)) await nudgeGuide(ctx, deps);
    });

    bot.command('ask', async (ctx) => {
      const question = ctx.message.text.replace(/^\/ask(@\w+)?\s*/i, '').trim();
      if (!question) {
        await ctx.reply(ctx.tr('guide.ask.prompt'), { parse_mode: 'HTML' });
        return;
      }
      if (!(await askGuide(ctx, deps, question, ctx.message.message_id))) await ctx.reply(ctx.tr('guide.queueDown'));
    });

    bot.command('timer', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const r = deps.store.guide.startClock(stationNo, deps.exam.durationMin, ctx.chat.id, ctx.lang);
      if (r.kind === 'no-station') return;
      const { clock } = r;
      if (r.kind === 'running') {
        await ctx.reply(`${ctx.tr('timer.running', { start: clockTime(clock.startedAt) })}\n${clockLineFor(ctx, deps, stationNo)}`, { parse_mode: 'HTML' });
        return;
      }
      const marks = checkpoints(clock.durationMin);
      await ctx.reply(ctx.tr('timer.started', { duration: clock.durationMin, end: clockTime(clock.startedAt + clock.durationMin * 60_000), checkpoints: marks.join('/') }), { parse_mode: 'HTML' });
      // The checkpoints as delayed jobs; the workers' sweep re-adds any that Redis lost.
      for (const minute of marks) {
        await deps.jobs
          .enqueue('clock-check', { stationNo, startedAt: clock.startedAt, minute }, { delay: Math.max(0, clock.startedAt + minute * 60_000 - Date.now()) })
          .catch((err: unknown) => deps.log.warn({ err, minute }, 'could not schedule a clock checkpoint (the workers sweep adds it)'));
      }
    });

    bot.command('status', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      await ctx.reply(statusText(ctx, deps, stationNo), { parse_mode: 'HTML' });
    });

    actions.set('gx', async (ctx, [command]) => {
      if (!COMMANDS.some((c) => c.command === command) || command === undefined) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      await runCommand(bot, ctx, command);
    });
  },
};
