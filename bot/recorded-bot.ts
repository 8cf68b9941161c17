import { TelegramError, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { BotContext } from './context.js';

/**
 * Test tooling: a bot fed updates with `bot.handleUpdate`, its Bot API calls recorded instead of
 * sent (telegraf's `callApi` is the external HTTP edge, as STYLE.md allows). `fail` makes the
 * next call of a method throw the Bot API's own error, as Telegram would answer it; a second
 * answer to the same press fails as it does on Telegram.
 */
export interface RecordedBot {
  bot: Telegraf<BotContext>;
  /** Every call, in order; `failed` when it was answered with an error. */
  calls: Array<{ method: string; payload: Record<string, unknown>; failed: boolean }>;
  /** The next call of `method` fails with this Bot API error (once). */
  fail(method: string, code: number, description: string): void;
  /** Feeds a text message from `userId`. */
  send(userId: number, text: string, languageCode?: string): Promise<void>;
  /** Feeds a button press on message 1 of `userId`'s chat. */
  press(userId: number, data: string, languageCode?: string): Promise<void>;
  /** What the user was told (calls that succeeded): message texts and button-answer toasts, in order. */
  told(): string[];
}

const TOO_OLD = { code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' };

/** Update ids differ across recorded bots: the store remembers every update it has handled. */
let nextUpdateId = 1;

export function recordBot(bot: Telegraf<BotContext>): RecordedBot {
  const calls: RecordedBot['calls'] = [];
  const failures = new Map<string, { code: number; description: string }>();
  let updateId = nextUpdateId;
  nextUpdateId += 10_000;
  let messageId = 100;
  const answered = new Set<string>();
  bot.botInfo = { id: 42, is_bot: true, first_name: 'Copilot', username: 'copilot_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  const callApi = async (method: string, payload: unknown): Promise<unknown> => {
    const query = method === 'answerCallbackQuery' ? String((payload as { callback_query_id?: unknown }).callback_query_id) : undefined;
    // Telegram takes one answer per press; a second one fails as it would there.
    const failure = query !== undefined && answered.has(query) ? TOO_OLD : failures.get(method);
    if (query !== undefined && !failure) answered.add(query);
    calls.push({ method, payload: (payload ?? {}) as Record<string, unknown>, failed: failure !== undefined });
    if (failure) {
      if (failure !== TOO_OLD) failures.delete(method);
      throw new TelegramError({ error_code: failure.code, description: failure.description }, { method, payload });
    }
    if (method.startsWith('send')) return { message_id: ++messageId, date: 0, chat: { id: 1, type: 'private' }, text: '' };
    return true;
  };
  bot.telegram.callApi = callApi as typeof bot.telegram.callApi;
  // handleUpdate gives each update a fresh Telegram client; contexts get this one instead.
  Object.assign(bot.context, { telegram: bot.telegram });
  const from = (id: number, languageCode: string) => ({ id, is_bot: false, first_name: 'T', language_code: languageCode });
  const feed = (u: Omit<Update.MessageUpdate, 'update_id'> | Omit<Update.CallbackQueryUpdate, 'update_id'>) =>
    bot.handleUpdate({ update_id: updateId++, ...u } as Update);
  return {
    bot,
    calls,
    fail: (method, code, description) => failures.set(method, { code, description }),
    send: (userId, text, languageCode = 'en') =>
      feed({
        message: {
          message_id: ++messageId,
          date: 0,
          chat: { id: userId, type: 'private', first_name: 'T' },
          from: from(userId, languageCode),
          text,
          ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }] } : {}),
        },
      }),
    press: (userId, data, languageCode = 'en') =>
      feed({
        callback_query: {
          id: `q${updateId}`,
          from: from(userId, languageCode),
          chat_instance: 'c',
          data,
          message: { message_id: 1, date: 0, chat: { id: userId, type: 'private', first_name: 'T' }, text: 'menu' },
        },
      }),
    told: () =>
      calls.flatMap((c) => {
        if (c.failed) return [];
        if (c.method === 'sendMessage') return [String(c.payload.text)];
        if (c.method === 'answerCallbackQuery' && c.payload.text !== undefined) return [String(c.payload.text)];
        return [];
      }),
  };
}
