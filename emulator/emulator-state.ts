import { EventEmitter } from 'node:events';
import { ChatSessions } from './chat-session.js';
import { ChatStore } from './chat-store.js';
import type { FileStore } from './file-store.js';
import { MAX_UPLOAD_BYTES } from './request-body.js';
import type { ApiCall, BotCommand, CallbackAnswer, TgUser } from './types.js';
import { UpdateQueue } from './update-queue.js';
import { WebhookSender, type WebhookSettings } from './webhook.js';

/** A callback query delivered to the bot and not answered yet. */
export interface PendingCallback {
  userId: number;
  chatId: number;
}

/**
 * All in-memory state of one emulator: the bot's identity, chats, pending updates,
 * files, the call log, commands and callback answers. The Bot API handlers, the test
 * client and the chat page all act on this one object.
 */
export class EmulatorState {
  readonly chats = new ChatStore();
  readonly updates = new UpdateQueue();
  /** The chat page's browser sessions. */
  readonly sessions = new ChatSessions();
  /** Every Bot API call, in order. */
  readonly calls: ApiCall[] = [];
  /** `setMyCommands` lists by `scopeKey(scope, language_code)`. */
  readonly commands = new Map<string, BotCommand[]>();
  /** Answers to callback queries, oldest first. */
  readonly callbackAnswers: CallbackAnswer[] = [];
  readonly pendingCallbacks = new Map<string, PendingCallback>();
  /** Free-form bot settings Telegram stores (menu button default, descriptions). */
  readonly settings = new Map<string, unknown>();
  /** The active webhook's sender, when `setWebhook` chose delivery by post. */
  webhook: WebhookSender | undefined;
  private readonly events = new EventEmitter();
  private callbackCounter = 0;
  private mediaGroupCounter = 0;

  constructor(
    readonly bot: TgUser,
    readonly files: FileStore,
    /** Largest request body (and so upload) the bot may send, in bytes; bigger gets a 413. */
    readonly maxUploadBytes: number = MAX_UPLOAD_BYTES,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Switches to webhook delivery (`settings`) or back to getUpdates (`undefined`). */
  async setWebhook(settings: WebhookSettings | undefined): Promise<void> {
    const old = this.webhook;
    this.webhook = undefined;
    this.updates.setWebhookListener(undefined);
    await old?.stop();
    if (!settings) return;
    const sender = new WebhookSender(this.updates, settings);
    this.webhook = sender;
    this.updates.setWebhookListener(() => sender.notify());
  }

  /** Unix seconds, as in `Message.date`. */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** A fresh callback query id (Telegram's are long numeric strings). */
  newCallbackQueryId(): string {
    this.callbackCounter += 1;
    return `${4_000_000_000_000_000 + this.callbackCounter}`;
  }

  /**
   * A fresh `media_group_id`: a string, as on Telegram, built by concatenation. (Adding the
   * counter to 13e15 as a number lost the low digits past 2^53, and albums merged.)
   */
  newMediaGroupId(): string {
    this.mediaGroupCounter += 1;
    return `13${String(this.mediaGroupCounter).padStart(15, '0')}`;
  }

  /** Appends to the call log and wakes `waitForCall`. */
  recordCall(method: string, params: Record<string, unknown>): void {
    const call: ApiCall = { method, params, at: Date.now() };
    this.calls.push(call);
    this.events.emit('call', call);
  }

  /**
   * The first call of `method` at index `since` or later in the call log (already made
   * or still to come); rejects after `timeoutMs`.
   */
  waitForCall(method: string, timeoutMs: number, since = 0): Promise<ApiCall> {
    const found = this.calls.slice(since).find((c) => c.method === method);
    if (found) return Promise.resolve(found);
    return new Promise<ApiCall>((resolve, reject) => {
      const onCall = (call: ApiCall): void => {
        if (call.method !== method) return;
        clearTimeout(timer);
        this.events.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.events.off('call', onCall);
        const seen = [...new Set(this.calls.map((c) => c.method))].join(', ') || 'none';
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for the bot to call ${method}; methods called: ${seen}`));
      }, timeoutMs);
      this.events.on('call', onCall);
    });
  }

  /** Records the bot's answer to a callback query and shows it in the chat. */
  addCallbackAnswer(answer: CallbackAnswer, chatId: number): void {
    this.callbackAnswers.push(answer);
    const chat = this.chats.find(chatId);
    if (chat) this.chats.changed(chat);
  }
}

/** The key under which `setMyCommands` stores a list: scope and language. */
export function scopeKey(scope: unknown, languageCode: string | undefined): string {
  const s = scope && typeof scope === 'object' ? (scope as Record<string, unknown>) : { type: 'default' };
  const ordered = Object.keys(s)
    .sort()
    .map((k) => `${k}=${String(s[k])}`)
    .join(',');
  return `${ordered}|${languageCode ?? ''}`;
}
