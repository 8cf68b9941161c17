import type { BotContext } from './context.js';

/**
 * The station of the user behind a command, message or button press. When they have not
 * registered one yet it tells them to send /start — as a reply to a message or command, as
 * the toast of a button press — and returns `undefined`, so a handler reads
 * `const stationNo = await requireStation(ctx); if (!stationNo) return;`.
 */
export async function requireStation(ctx: BotContext): Promise<string | undefined> {
  const stationNo = ctx.account?.stationNo;
  if (stationNo) return stationNo;
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.tr('err.notRegistered'));
  else await ctx.reply(ctx.tr('err.notRegistered'));
  return undefined;
}
