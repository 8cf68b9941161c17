import { randomUUID } from 'node:crypto';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import {
  CALLBACK_ACTIONS,
  decodeCallback,
  incidentId,
  InvariantError,
  isTelegramError,
  langFromTelegram,
  t,
  userErrorText,
  UserInputError,
  type CallbackAction,
} from '../core/index.js';
import type { ActionHandler, BotContext } from './context.js';
import type { BotDeps, Flow } from './deps.js';
import { FLOWS, fallbackFlow } from './flows/index.js';
import { updateIdentity } from './update-identity.js';
import { watchFirstReply } from './reply-latency.js';
import { rateLimit } from './rate-limit.js';

/**
 * Builds the bot: user loading, the flows in order, the button router and the
 * error handler. Nothing here starts polling; `main.ts` (or a test) does.
 */
export function createBot(
  token: string,
  deps: BotDeps,
  opts: { apiRoot?: string; flows?: readonly Flow[] } = {},
): Telegraf<BotContext> {
  const bot = new Telegraf<BotContext>(token, {
    // webhookReply off: a reply folded into the webhook's HTTP answer returns no message id, which flows need.
    telegram: { apiRoot: opts.apiRoot ?? deps.config.TELEGRAM_API_ROOT, webhookReply: false },
    handlerTimeout: 30_000,
  });

  // Telegram redelivers an update whose offset was not confirmed before a crash. Each update
  // is claimed before it is handled and marked done after, so a handled one is never handled
  // again: a redelivered "B12" must not become the answer to the next question. A press or
  // a photo whose claim a crashed process left unfinished is taken by the next process when it
  // comes again, so a crash mid-handler loses no press or photo (their handlers are idempotent;
  // state is never half-applied: each handler's writes are single transactions). Text is
  // handled at most once (isReplayable).
  // Recognised by id and identity, not by "id <= the highest seen": a Bot API server started
  // afresh (the local emulator after `npm start` restarts) counts update ids from 1 again.
  // In webhook mode the claim is shared by every replica (Redis SET NX), so an update posted
  // to two replicas (Telegram's redelivery after a slow answer) is handled by one of them.
  bot.use(async (ctx, next) => {
    const startedAt = performance.now();
    const claimed = await claimUpdate(deps, ctx.update);
    if (!claimed.isNew) {
      deps.metrics?.updates.inc({ outcome: 'duplicate' });
      deps.log.info({ update: ctx.update.update_id }, claimed.by === 'claim' ? 'skipping an update another replica (or this one) claimed' : 'skipping an update handled before a restart');
      return;
    }
    deps.metrics?.updates.inc({ outcome: 'handled' });
    if (deps.metrics) watchFirstReply(ctx, deps.metrics, startedAt);
    if (claimed.replayed) {
      // Taken over from a process that crashed mid-handler: it may have answered the press
      // already, and Telegram takes one answer per press. A second one is no failure.
      deps.log.info({ update: ctx.update.update_id }, 'handling an update a crashed process left unfinished');
      const answerCbQuery = ctx.answerCbQuery.bind(ctx);
      ctx.answerCbQuery = (...args: Parameters<typeof answerCbQuery>) =>
        answerCbQuery(...args).catch((err: unknown) => {
          if (isTelegramError(err, 400, /query is too old|query ID is invalid/)) return true;
          throw err;
        });
    }
    try {
      await next();
    } finally {
      // Finished, whatever it answered: a redelivery is a duplicate from now on. Until then a
      // crash leaves the claim open and the next process handles the redelivered update.
      if (claimed.by === 'record') deps.store.updates.markDone(ctx.update.update_id, updateIdentity(ctx.update));
    }
    deps.log.debug({ update: updateSummary(ctx.update), station: ctx.account?.stationNo ?? undefined, ms: Math.round(performance.now() - startedAt) }, 'update handled');
  });

  bot.use(async (ctx, next) => {
    const from = ctx.from;
    if (from && !from.is_bot) {
      const existing = deps.store.users.get(from.id);
      const chatId = ctx.chat?.id ?? from.id;
      ctx.account = existing ?? deps.store.users.upsert({ userId: from.id, chatId, lang: langFromTelegram(from.language_code) });
    }
    ctx.lang = ctx.account?.lang ?? langFromTelegram(from?.language_code);
    ctx.tr = (key, params) => t(ctx.lang, key, params);
    await next();
  });

  // Per-user rates, after the user's row and language are known (a refusal is in their language).
  bot.use(rateLimit(deps));

  const actions = new Map<CallbackAction, ActionHandler>();
  for (const flow of opts.flows ?? FLOWS) flow.register(bot, deps, actions);
  const unhandled = (Object.keys(CALLBACK_ACTIONS) as CallbackAction[]).filter((a) => !actions.has(a));
  if (unhandled.length) {
    throw new InvariantError(`no flow handles the button actions ${unhandled.join(', ')}: register them (actions.set) or remove them from CALLBACK_ACTIONS`);
  }

  // A press of an unknown action, or with the wrong number or kinds of arguments, is from an
  // outdated (or forged) menu: decodeCallback refuses it against CALLBACK_ACTIONS.
  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const cb = decodeCallback(data);
    const handler = cb ? actions.get(cb.action) : undefined;
    if (!cb || !handler) {
      await ctx.answerCbQuery(ctx.tr('err.stale'));
      return;
    }
    await handler(ctx, cb.args);
  });

  fallbackFlow.register(bot, deps, actions);

  // The error boundary: whatever reaches it gets an answer. A UserInputError is the user's
  // to fix and says how, in their language; anything else is a bug or an outage and gets a
  // short apology with the incident id the log carries.
  bot.catch(async (err, ctx) => {
    const lang = ctx.lang ?? 'zh';
    const refused = err instanceof UserInputError ? userErrorText(lang, err.code, err.params) : undefined;
    let text: string;
    let incident: string | undefined;
    if (err instanceof UserInputError && refused !== undefined) {
      deps.log.info({ code: err.code, update: updateSummary(ctx.update), station: ctx.account?.stationNo ?? undefined }, 'user input refused');
      text = refused;
    } else {
      incident = incidentId();
      deps.log.error({ err, incident, update: updateSummary(ctx.update), station: ctx.account?.stationNo ?? undefined }, 'bot handler failed');
      text = t(lang, 'err.internal', { incident });
    }
    await answer(ctx, text).catch((replyErr: unknown) => deps.log.warn({ err: replyErr, incident }, 'could not tell the user about the failure'));
  });

  return bot;
}

/**
 * Tells the user: as the button's toast when the failure came from a press still
 * unanswered, else (or when the press was already answered) as a chat message.
 */
async function answer(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) {
    try {
      await ctx.answerCbQuery(text);
      return;
    } catch (err) {
      // Answered already (a handler answers before its slow part): a message still reaches the user.
      if (!isTelegramError(err, 400, /query is too old|query ID is invalid/) || !ctx.chat) throw err;
    }
  }
  if (ctx.chat) await ctx.reply(text);
}

/** This bot process: an update it claimed and never finished is another process's to take after a crash. */
const BOOT = randomUUID();

/**
 * True when this process is the first to see the update: the replicas' shared claim when
 * there is one, else (or while Redis cannot answer) the store's record.
 */
async function claimUpdate(deps: BotDeps, update: Update): Promise<{ isNew: boolean; by: 'claim' | 'record'; replayed?: boolean }> {
  const identity = updateIdentity(update);
  if (deps.updateClaim) {
    try {
      return { isNew: await deps.updateClaim.claim(update.update_id, identity), by: 'claim' };
    } catch (err) {
      deps.log.warn({ update: update.update_id, code: (err as NodeJS.ErrnoException).code }, 'update claim: Redis did not answer; using this replica\'s own record');
    }
  }
  if (!isReplayable(update)) return { isNew: deps.store.updates.markSeen(update.update_id, identity, ''), by: 'record' };
  const before = deps.store.updates.isSeen(update.update_id, identity);
  const isNew = deps.store.updates.markSeen(update.update_id, identity, BOOT);
  return { isNew, by: 'record', replayed: isNew && before };
}

/**
 * Updates that may be handled again when a crashed process claimed them and never finished:
 * a button press carries its target (the handlers answer "Already confirmed." and the like),
 * a photo its file (one row per file, see capture). Text is answered in the conversation's
 * current state — a "B12" handled again could become the answer to the next question — so it
 * is handled at most once (claimed with no process id: never taken over).
 */
function isReplayable(update: Update): boolean {
  if ('callback_query' in update) return true;
  const msg = 'message' in update ? update.message : undefined;
  if (!msg) return false;
  return 'photo' in msg || ('document' in msg && (msg.document.mime_type ?? '').startsWith('image/'));
}

/** What of an update may be logged: ids and kinds, never text (it may hold an ID number). */
function updateSummary(u: Update): Record<string, unknown> {
  const kind = Object.keys(u).find((k) => k !== 'update_id');
  return { id: u.update_id, kind };
}
