/**
 * A failed Bot API call, shaped and worded like Telegram's so that the bot's error
 * handling (telegraf's `TelegramError`) sees exactly what production would send.
 */
export class ApiError extends Error {
  /** HTTP status and `error_code` (400, 401, 403, 404, 409, 413). */
  readonly code: number;
  /** Telegram's `description`, e.g. `Bad Request: chat not found`. */
  readonly description: string;

  constructor(code: number, description: string) {
    super(description);
    this.name = 'ApiError';
    this.code = code;
    this.description = description;
  }

  /** The JSON body Telegram answers with. */
  toJSON(): { ok: false; error_code: number; description: string } {
    return { ok: false, error_code: this.code, description: this.description };
  }
}

/** A 400 with Telegram's `Bad Request: ` prefix. */
export function badRequest(detail: string): ApiError {
  return new ApiError(400, `Bad Request: ${detail}`);
}

/** Telegram's exact wording when an edit changes nothing. */
export const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** Canned errors Telegram returns for whole requests. */
export const apiErrors = {
  unauthorized: () => new ApiError(401, 'Unauthorized'),
  notFound: () => new ApiError(404, 'Not Found'),
  tooLarge: () => new ApiError(413, 'Request Entity Too Large'),
  blocked: () => new ApiError(403, 'Forbidden: bot was blocked by the user'),
  conflict: () =>
    new ApiError(
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
  webhookActive: () => new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
} as const;
