import { capturePlan, comboLabel, planProgress, progressBar } from '../../core/index.js';
import type { BotContext } from '../context.js';
import { requireStation } from '../guards.js';
import { minutesLeftLine } from './status.js';
import type { BotDeps, Flow } from '../deps.js';

/** The plan text for a station: one line per combo with a bar, then what to do next. */
export function planText(ctx: BotContext, deps: BotDeps, stationNo: string): string {
  const progress = planProgress(capturePlan(deps.exam), deps.store.photos.countByCombo(stationNo));
  const lines = progress.items.map((i) =>
    ctx.tr('plan.line', {
      bar: progressBar(i.captured, i.quota),
      captured: i.captured,
      quota: i.quota,
      label: comboLabel(i.combo, deps.exam.classes, ctx.lang),
    }),
  );
  const tail = progress.next
    ? ctx.tr('plan.next', { label: comboLabel(progress.next.combo, deps.exam.classes, ctx.lang), remaining: progress.next.remaining })
    : ctx.tr('plan.done');
  const head = ctx.tr('plan.title', { station: stationNo, captured: progress.captured, total: progress.total });
  const clock = minutesLeftLine(ctx, deps, stationNo);
  return `${head}${clock ? `\n${clock}` : ''}\n\n<code>${lines.join('\n')}</code>\n\n${tail}`;
}

export const planFlow: Flow = {
  name: 'plan',
  register(bot, deps) {
    bot.command('plan', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      await ctx.reply(planText(ctx, deps, stationNo), { parse_mode: 'HTML' });
    });
  },
};
