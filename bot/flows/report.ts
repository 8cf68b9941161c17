import type { BotContext } from '../context.js';
import { isProctor, proctorStation, requireStation } from '../guards.js';
import type { BotDeps, Flow } from '../deps.js';

/**
 * `/report1` and `/report2`: the exam's two PDF reports. The handler only checks what it
 * can read cheaply and enqueues a `report` job (the worker queries, renders and sends the
 * PDF); it answers at once. `/report2` refuses when the station has no finished run.
 */
async function requestReport(ctx: BotContext, deps: BotDeps, kind: 'stage1' | 'stage2'): Promise<void> {
  // A proctor opens any station's report by naming it (`/report1 A07`); the PDF comes to the proctor's chat.
  const stationNo = isProctor(ctx, deps.config) ? await proctorStation(ctx, deps, kind === 'stage1' ? '/report1' : '/report2') : await requireStation(ctx);
  if (!stationNo || !ctx.chat || !ctx.message) return;
  let text: string;
  if (kind === 'stage2') {
    if (!deps.store.runs.deployed(stationNo) && !deps.store.runs.latestCompleted(stationNo, 'train')) {
      await ctx.reply(ctx.tr('report.noRun'));
      return;
    }
    text = ctx.tr('report.generating2', { station: stationNo });
  } else {
    text = ctx.tr('report.generating1', { station: stationNo });
  }
  await deps.jobs.enqueue('report', { stationNo, kind, chatId: ctx.chat.id, lang: ctx.lang, requestId: ctx.message.message_id });
  await ctx.reply(text, { parse_mode: 'HTML' });
}

export const reportFlow: Flow = {
  name: 'report',
  register(bot, deps, actions) {
    bot.command('report1', (ctx) => requestReport(ctx, deps, 'stage1'));
    bot.command('report2', (ctx) => requestReport(ctx, deps, 'stage2'));

    // Retry on a report that failed for good: the presser's own station, a new request (the clock's
    // milliseconds as its id: never a message id, so it cannot meet a finished job's id).
    actions.set('rr', async (ctx, [kind]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.chat) return;
      if (kind !== 'stage1' && kind !== 'stage2') {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await deps.jobs.enqueue('report', { stationNo, kind, chatId: ctx.chat.id, lang: ctx.lang, requestId: deps.now() });
      await ctx.answerCbQuery();
      await ctx.reply(ctx.tr(kind === 'stage1' ? 'report.generating1' : 'report.generating2', { station: stationNo }), { parse_mode: 'HTML' });
    });
  },
};
