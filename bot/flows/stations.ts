import { Markup } from 'telegraf';
import { encodeCallback, PROCTOR_LINK_TTL_MS, signProctorLink, type Config } from '../../core/index.js';
import { ensureLinkSecret, overviewCells, stationOverview } from '../../store/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { isProctor } from '../guards.js';

/**
 * `/stations`: the proctor's overview of every station (issue 16 point 1). One line per
 * station: accepted photos against the plan, confirmed photos, the latest review's accuracy,
 * the newest training run and its state, the deployed run, which reports exist, time left on
 * the exam clock and megabytes on disk. No contestant's name or ID number appears, only
 * station numbers. Anyone but a proctor is refused. 🔄 Refresh re-reads and edits the same
 * message; ◀ ▶ page through a big hall (a Telegram message holds 4096 characters);
 * 🖥 opens the same table as a web page for a projector (a signed link).
 */

/** Stations per message page: 30 lines of about 70 characters stay well inside 4096. */
export const STATIONS_PER_PAGE = 30;

function pageCount(n: number): number {
  return Math.max(1, Math.ceil(n / STATIONS_PER_PAGE));
}

/** The overview text of page `page`, read fresh from the store and the station folders. */
export function stationsText(ctx: BotContext, deps: BotDeps, page = 0): string {
  const rows = stationOverview(deps.store, deps.exam, deps.timeLeft ? { timeLeft: deps.timeLeft } : {});
  if (rows.length === 0) return `${ctx.tr('stations.title', { n: 0 })}\n\n${ctx.tr('stations.none')}`;
  const pages = pageCount(rows.length);
  const p = Math.min(Math.max(0, page), pages - 1);
  const lines = rows.slice(p * STATIONS_PER_PAGE, (p + 1) * STATIONS_PER_PAGE).map((r) => overviewCells(ctx.lang, r).join(' · '));
  const title = ctx.tr('stations.title', { n: rows.length }) + (pages > 1 ? ` · ${ctx.tr('stations.page', { p: p + 1, pages })}` : '');
  return `${title}\n${ctx.tr('stations.cols')}\n\n<code>${lines.join('\n')}</code>`;
}

/** The projector page's address for this proctor, or undefined when no browser could reach the web process. */
export function projectorUrl(config: Config, secret: string, userId: number, now: number): string | undefined {
  const local = !/^https:\/\/api\.telegram\.org\/?$/.test(config.TELEGRAM_API_ROOT);
  const base = config.PUBLIC_URL ?? (local ? `http://${config.WEB_HOST === '0.0.0.0' ? '127.0.0.1' : config.WEB_HOST}:${config.WEB_PORT}` : undefined);
  if (!base) return undefined;
  const token = signProctorLink({ secret, userId, expiresAt: now + PROCTOR_LINK_TTL_MS });
  return `${base.replace(/\/+$/, '')}/proctor?t=${encodeURIComponent(token)}`;
}

function keyboard(ctx: BotContext, deps: BotDeps, page: number) {
  const n = deps.store.stations.list().length;
  const pages = pageCount(n);
  const p = Math.min(Math.max(0, page), pages - 1);
  const row = [];
  if (p > 0) row.push(Markup.button.callback(ctx.tr('clean.prev'), encodeCallback('sp', p - 1)));
  row.push(Markup.button.callback(ctx.tr('btn.refresh'), p === 0 ? encodeCallback('st') : encodeCallback('sp', p)));
  if (p < pages - 1) row.push(Markup.button.callback(ctx.tr('clean.next'), encodeCallback('sp', p + 1)));
  const rows: Array<Array<ReturnType<typeof Markup.button.callback> | ReturnType<typeof Markup.button.url>>> = [row];
  const url = ctx.from ? projectorUrl(deps.config, ensureLinkSecret(deps.store.dataDir, deps.config.LINK_SECRET), ctx.from.id, deps.now()) : undefined;
  if (url) rows.push([Markup.button.url(ctx.tr('btn.stations.web'), url)]);
  return Markup.inlineKeyboard(rows);
}

export const stationsFlow: Flow = {
  name: 'stations',
  register(bot, deps, actions) {
    bot.command('stations', async (ctx) => {
      if (!isProctor(ctx, deps.config)) {
        await ctx.reply(ctx.tr('stations.proctorOnly'));
        return;
      }
      await ctx.reply(stationsText(ctx, deps), { parse_mode: 'HTML', ...keyboard(ctx, deps, 0) });
    });

    const refresh = async (ctx: BotContext, page: number) => {
      if (!isProctor(ctx, deps.config)) {
        await ctx.answerCbQuery(ctx.tr('stations.proctorOnly'));
        return;
      }
      await ctx.answerCbQuery();
      await ctx.editMessageText(stationsText(ctx, deps, page), { parse_mode: 'HTML', ...keyboard(ctx, deps, page) });
    };
    actions.set('st', (ctx) => refresh(ctx, 0));
    actions.set('sp', (ctx, [page]) => refresh(ctx, Number(page)));
  },
};
