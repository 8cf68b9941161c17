import { badRequest } from './api-error.js';

/**
 * Typed access to a Bot API call's parameters. Telegram accepts every value either
 * natively (JSON body) or as a string (query, form, multipart: objects then arrive as
 * JSON text), so each getter accepts both spellings.
 */
export class Params {
  constructor(readonly raw: Readonly<Record<string, unknown>>) {}

  /** True when the parameter is present and not null. */
  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  /** A string parameter; numbers and booleans are turned into their text. */
  string(name: string): string | undefined {
    const v = this.raw[name];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return undefined;
  }

  /** An integer parameter, or undefined when absent or not an integer. */
  int(name: string): number | undefined {
    const v = this.raw[name];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isSafeInteger(n) ? n : undefined;
  }

  /** A boolean parameter (`true`/`false`, `1`/`0`). */
  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === '1' || v === 1) return true;
    if (v === 'false' || v === '0' || v === 0) return false;
    return undefined;
  }

  /**
   * An object or array parameter, parsed from JSON text when it arrived as a string.
   *
   * @param whatForError completes `Bad Request: can't parse <what>` for bad JSON,
   *   e.g. `reply keyboard markup JSON object`, as Telegram words it.
   */
  json(name: string, whatForError: string): unknown {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw badRequest(`can't parse ${whatForError}`);
    }
  }

  /**
   * The target chat. Only numeric ids exist here (private chats; no `@channel`).
   *
   * @throws `chat_id is empty` when absent, `chat not found` when not a number.
   */
  chatId(): number {
    if (!this.has('chat_id')) throw badRequest('chat_id is empty');
    const id = this.int('chat_id');
    if (id === undefined) throw badRequest('chat not found');
    return id;
  }
}

/** Narrows an unknown JSON value to a plain object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
