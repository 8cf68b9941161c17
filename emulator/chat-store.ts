import { EventEmitter } from 'node:events';
import { AsyncQueue } from './async-queue.js';
import { badRequest } from './api-error.js';
import { messagePlainText } from './telegram-html.js';
import type { Message, ReplyKeyboardMarkup, TgChat, TgUser } from './types.js';

/** Everything the emulator knows about one private chat. */
export interface ChatState {
  readonly chat: TgChat;
  user: TgUser;
  /** Live messages by id, in send order; deleted ones are removed. Edits replace entries. */
  readonly messages: Map<number, Message>;
  /** Shared by both sides of the chat, as on Telegram: ids increase per chat. */
  nextMessageId: number;
  /** Snapshots of the bot's messages as sent, for `TestUser.nextMessage`. */
  readonly inbox: AsyncQueue<Message>;
  /** Increases on every change (message, edit, deletion, toast), for waiters and the page. */
  version: number;
  isBlocked: boolean;
  /** The reply keyboard under the text box, if the bot set one. */
  replyKeyboard: ReplyKeyboardMarkup | undefined;
  /** As set by `setChatMenuButton` for this chat. */
  menuButton: unknown;
  /** The last `sendChatAction` action, e.g. `typing`. */
  lastChatAction: string | undefined;
  /** Hash of the chat-page session that owns this chat (`chat-session.ts`); none for test users. */
  ownerHash: string | undefined;
}

/**
 * The private chats of the emulator. A chat exists once its user is known (a test made
 * a `TestUser`, or someone opened the chat page); the bot sending to any other id gets
 * `chat not found`, as a bot writing to a user who never started it would.
 */
export class ChatStore {
  private readonly chats = new Map<number, ChatState>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  /** The user's chat, created on first use; later calls refresh the user's names. */
  ensure(user: TgUser): ChatState {
    const existing = this.chats.get(user.id);
    if (existing) {
      existing.user = user;
      return existing;
    }
    const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name };
    if (user.username !== undefined) chat.username = user.username;
    const state: ChatState = {
      chat,
      user,
      messages: new Map(),
      nextMessageId: 1,
      inbox: new AsyncQueue<Message>(),
      version: 0,
      isBlocked: false,
      replyKeyboard: undefined,
      menuButton: undefined,
      lastChatAction: undefined,
      ownerHash: undefined,
    };
    this.chats.set(user.id, state);
    return state;
  }

  /** Every chat, for saving the history. */
  all(): ChatState[] {
    return [...this.chats.values()];
  }

  /** Calls `listener` after every change of any chat. */
  onChange(listener: () => void): void {
    this.events.on('change', listener);
  }

  /** The chat with this id, if known. */
  find(chatId: number): ChatState | undefined {
    return this.chats.get(chatId);
  }

  /** @throws ApiError `Bad Request: chat not found` for an unknown chat. */
  require(chatId: number): ChatState {
    const state = this.chats.get(chatId);
    if (!state) throw badRequest('chat not found');
    return state;
  }

  /** Stores a message (its `message_id` already taken from `nextMessageId`). */
  put(state: ChatState, message: Message): void {
    state.messages.set(message.message_id, message);
    this.changed(state);
  }

  /** Marks the chat as changed: bumps its version and wakes its waiters. */
  changed(state: ChatState): void {
    state.version += 1;
    this.events.emit('change', state.chat.id);
  }

  /**
   * Resolves with the first non-undefined result of `check`, evaluated now and after
   * every change of the chat; rejects after `timeoutMs` with `describeTimeout()`.
   */
  waitUntil<T>(chatId: number, check: () => T | undefined, timeoutMs: number, describeTimeout: () => string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const onChange = (id: number): void => {
        if (id !== chatId) return;
        const value = check();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', onChange);
      };
      this.events.on('change', onChange);
    });
  }

  /**
   * Resolves at once when the chat's version differs from `sinceVersion` (the page is
   * behind, or saw an earlier emulator), else on the next change, after `timeoutMs`, or
   * when the store is closed. For the chat page's long poll.
   */
  waitForVersion(chatId: number, sinceVersion: number, timeoutMs: number): Promise<void> {
    if ((this.chats.get(chatId)?.version ?? 0) !== sinceVersion) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.events.off('change', onChange);
        this.events.off('close', done);
        resolve();
      };
      const onChange = (id: number): void => {
        if (id === chatId) done();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.events.on('change', onChange);
      this.events.once('close', done);
    });
  }

  /** Ends every pending `waitForVersion`. */
  close(): void {
    this.events.emit('close');
  }

  /** A short transcript of the chat for timeout messages: `#id who: text`. */
  describe(chatId: number): string {
    const state = this.chats.get(chatId);
    if (!state) return `chat ${chatId} does not exist`;
    const lines = [...state.messages.values()].slice(-10).map((m) => {
      const who = m.from.is_bot ? 'bot' : 'user';
      const kind = m.photo ? '[photo] ' : m.document ? `[document ${m.document.file_name ?? ''}] ` : '';
      const buttons = m.reply_markup?.inline_keyboard.flat().map((b) => `[${b.text}]`).join(' ') ?? '';
      return `  #${m.message_id} ${who}: ${kind}${messagePlainText(m).slice(0, 120)} ${buttons}`.trimEnd();
    });
    return lines.length > 0 ? `last messages of chat ${chatId}:\n${lines.join('\n')}` : `chat ${chatId} is empty`;
  }
}
