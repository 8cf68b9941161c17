import type { Context } from 'telegraf';
import type { User } from '../store/index.js';
import type { CopyKey, Lang, Raw } from '../core/index.js';

/** The telegraf context every handler gets: the user's row and language are loaded by middleware. */
export interface BotContext extends Context {
  /** The sender's row (created on first contact); undefined only for updates without a sender. */
  account: User | undefined;
  lang: Lang;
  /** Text in the user's language. */
  tr(key: CopyKey, params?: Record<string, string | number | Raw>): string;
}

/** A callback-button handler; `args` are the decoded parts after the action name, as many as `CALLBACK_ACTIONS` says. */
export type ActionHandler = (ctx: BotContext, args: string[]) => Promise<void>;
