import { isCopyKey, type Config } from '../core/index.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';

/**
 * The station of the user behind a command, message or button press. When they have not
 * registered one yet it tells them to send /start — as a reply to a message or command, as
 * the toast of a button press — and returns `undefined`, so a handler reads
 * `const stationNo = await requireStation(ctx); if (!stationNo) return;`.
 * In the middle of registration it names the step that waits for an answer instead: "send
 * /start first" would restart a dialog the user is already in.
 */
export async function requireStation(ctx: BotContext): Promise<string | undefined> {
  const stationNo = ctx.account?.stationNo;
  if (stationNo) return stationNo;
  const waiting = `err.registering.${ctx.account?.wizard?.step ?? ''}`;
  const text = ctx.tr(isCopyKey(waiting) ? waiting : 'err.notRegistered');
  if (ctx.callbackQuery) await ctx.answerCbQuery(text.replace(/<[^>]+>/g, ''));
  else await ctx.reply(text, { parse_mode: 'HTML' });
  return undefined;
}

/**
 * Whether the user behind an update is a proctor: signed in with `/start proctor <code>`
 * (role in their row) or listed in `PROCTOR_IDS`. A proctor has no station of their own.
 */
export function isProctor(ctx: BotContext, config: Config): boolean {
  const id = ctx.from?.id;
  return ctx.account?.role === 'proctor' || (id !== undefined && config.PROCTOR_IDS.includes(id));
}

/**
 * The station a proctor's command names (`/review A07`), or a reply saying how to name one.
 * Shared by the commands a proctor may use for any station.
 */
export async function proctorStation(ctx: BotContext, deps: BotDeps, cmd: string): Promise<string | undefined> {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  const arg = text.trim().split(/\s+/)[1];
  if (!arg) {
    await ctx.reply(ctx.tr('proctor.needStation', { cmd }), { parse_mode: 'HTML' });
    return undefined;
  }
  const station = deps.store.stations.get(arg) ?? deps.store.stations.get(arg.toUpperCase());
  if (!station) {
    await ctx.reply(ctx.tr('proctor.noStation', { station: arg.slice(0, 32) }), { parse_mode: 'HTML' });
    return undefined;
  }
  return station.stationNo;
}
