import { Markup } from 'telegraf';
import { capturePlan, encodeCallback, planProgress } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';

/**
 * `/stations`: the proctor's overview of every station (issue 10 point 9: disk use shown to the
 * proctor). One line per station: accepted photos against the capture plan, confirmed photos and
 * megabytes on disk. No contestant's name or ID number appears, only station numbers. Anyone
 * but a proctor is refused; the 🔄 Refresh button re-reads and edits the same message.
 */

const MB = 1024 * 1024;

/** The overview text, read fresh from the store and the station folders. */
export function stationsText(ctx: BotContext, deps: BotDeps): string {
  const plan = capturePlan(deps.exam);
  const stations = deps.store.stations.list();
  if (stations.length === 0) return `${ctx.tr('stations.title', { n: 0 })}\n\n${ctx.tr('stations.none')}`;
  const lines = stations.map(({ stationNo }) => {
    const progress = planProgress(plan, deps.store.photos.countByCombo(stationNo));
    const { byStatus } = deps.store.photos.summary(stationNo);
    const disk = deps.store.disk.station(stationNo);
    return ctx.tr('stations.line', {
      station: stationNo,
      accepted: progress.captured,
      total: progress.total,
      confirmed: byStatus.confirmed + byStatus.reviewed,
      mb: (disk.totalBytes / MB).toFixed(1),
    });
  });
  return `${ctx.tr('stations.title', { n: stations.length })}\n\n<code>${lines.join('\n')}</code>`;
}

function keyboard(ctx: BotContext) {
  return Markup.inlineKeyboard([Markup.button.callback(ctx.tr('btn.refresh'), encodeCallback('st'))]);
}

const isProctor = (ctx: BotContext): boolean => ctx.account?.role === 'proctor';

export const stationsFlow: Flow = {
  name: 'stations',
  register(bot, deps, actions) {
    bot.command('stations', async (ctx) => {
      if (!isProctor(ctx)) {
        await ctx.reply(ctx.tr('stations.proctorOnly'));
        return;
      }
      await ctx.reply(stationsText(ctx, deps), { parse_mode: 'HTML', ...keyboard(ctx) });
    });

    actions.set('st', async (ctx) => {
      if (!isProctor(ctx)) {
        await ctx.answerCbQuery(ctx.tr('stations.proctorOnly'));
        return;
      }
      await ctx.answerCbQuery();
      await ctx.editMessageText(stationsText(ctx, deps), { parse_mode: 'HTML', ...keyboard(ctx) });
    });
  },
};
