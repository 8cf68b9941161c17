/**
 * Recognising the Bot API's own errors. telegraf throws a `TelegramError` whose `code` is
 * the Bot API's `error_code` and whose `description` is its text (grammY's `GrammyError`
 * has the same two); branching on them, not on `String(err)`, keeps a renamed message or a
 * wrapped error from silently changing what the product does. `core/` may not import
 * telegraf, so the check is by that shape; bot and workers share it.
 */

/** The part of telegraf's `TelegramError` that says what went wrong. */
export interface TelegramApiError extends Error {
  readonly code: number;
  readonly description: string;
}

/** Whether `err` is a Bot API error, optionally with this code and a description matching `description`. */
export function isTelegramError(err: unknown, code?: number, description?: RegExp): err is TelegramApiError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<TelegramApiError>;
  if (typeof e.code !== 'number' || typeof e.description !== 'string') return false;
  return (code === undefined || e.code === code) && (description === undefined || description.test(e.description));
}

/**
 * An edit that changed nothing, or of a message that is gone (deleted by the user, or too
 * old): the chat already shows the right thing or there is nothing left to update, so the
 * caller carries on. Anything else is a real failure and is thrown or logged.
 */
export function isBenignEditError(err: unknown): boolean {
  return isTelegramError(err, 400, /message is not modified|message to edit not found|message can't be edited|message to delete not found|message can't be deleted/i);
}

/** The one method of a logger that a best-effort call needs (pino's `warn`). */
type WarnLog = { warn(obj: Record<string, unknown>, msg: string): void };

/**
 * Awaits a Bot API call (an edit, a deletion) whose benign failure leaves nothing to do;
 * any other failure is rethrown, to reach the caller's error handling.
 */
export async function unlessBenign<T>(call: Promise<T>, isBenign: (err: unknown) => boolean = isBenignEditError): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isBenign(err)) return undefined;
    throw err;
  }
}

/**
 * Awaits a call the user can do without (a typing indicator, removing spent buttons,
 * deleting a message): a benign failure is ignored and any other is logged with `what`,
 * never thrown, so it cannot abort the work around it.
 */
export async function bestEffort(call: Promise<unknown>, log: WarnLog, what: string): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isBenignEditError(err)) log.warn({ err }, `${what} failed (the user's work is not affected)`);
  }
}
