import type { ProcessMetrics } from '../queue/index.js';
import type { BotContext } from './context.js';

/** Bot API methods that are the user's answer: a message, an edit, a file or a button's toast. */
const REPLY_METHODS = new Set([
  'sendMessage', 'editMessageText', 'editMessageCaption', 'editMessageMedia', 'editMessageReplyMarkup',
  'sendPhoto', 'sendDocument', 'sendMediaGroup', 'answerCallbackQuery',
]);

/**
 * Observes the time from an update's arrival to the start of its first reply call
 * (`copilot_bot_reply_seconds{kind}`): what the user waits for before the chat moves (a
 * "typing…" action is not an answer and does not count).
 * telegraf makes one `Telegram` client per update, so wrapping this context's `callApi`
 * sees only this update's calls. An update answered by nothing (a duplicate, a silent
 * skip) records nothing.
 */
export function watchFirstReply(ctx: BotContext, metrics: ProcessMetrics, startedAt: number, clock: () => number = () => performance.now()): void {
  const kind = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
  const tg = ctx.telegram;
  const original = tg.callApi.bind(tg);
  let isReplied = false;
  tg.callApi = ((method: string, ...rest: unknown[]) => {
    if (!isReplied && REPLY_METHODS.has(method)) {
      isReplied = true;
      metrics.replyLatency.observe({ kind }, (clock() - startedAt) / 1000);
    }
    return (original as (m: string, ...r: unknown[]) => unknown)(method, ...rest);
  }) as typeof tg.callApi;
}
