import type { EmulatorState } from './emulator-state.js';
import type {
  CallbackAnswer,
  InlineKeyboardButton,
  Message,
  PhotoSize,
  ReplyKeyboardMarkup,
  TgDocument,
  TgUser,
} from './types.js';
import {
  type AlbumItem,
  userPress,
  userSendAlbum,
  userSendDocument,
  userSendPhoto,
  userSendText,
} from './user-actions.js';

/** How long a `TestUser` wait lasts unless told otherwise, in milliseconds. */
export const DEFAULT_WAIT_MS = 5_000;

/** Options of every waiting call. */
export interface WaitOptions {
  /** Milliseconds; default `DEFAULT_WAIT_MS` (or the emulator's `defaultTimeoutMs`). */
  timeoutMs?: number;
}

/** Picks an inline button: its exact text, a pattern, or a predicate. */
export type ButtonMatcher = string | RegExp | ((button: InlineKeyboardButton, message: Message) => boolean);

/** Anything that names a file: a `file_id`, a photo size, a document, or a message with one. */
export type FileRef = string | PhotoSize | TgDocument | Message;

function matches(matcher: ButtonMatcher, button: InlineKeyboardButton, message: Message): boolean {
  if (typeof matcher === 'string') return button.text === matcher;
  if (matcher instanceof RegExp) return matcher.test(button.text);
  return matcher(button, message);
}

function fileIdOf(ref: FileRef): string {
  if (typeof ref === 'string') return ref;
  if ('message_id' in ref) {
    const id = ref.photo?.at(-1)?.file_id ?? ref.document?.file_id;
    if (!id) throw new Error(`Message ${ref.message_id} has no photo or document to download`);
    return id;
  }
  return ref.file_id;
}

/**
 * A simulated Telegram user talking to the bot in a private chat (chat id = user id),
 * for tests. Everything the bot sends to the chat lands in the chat's inbox when it is
 * sent, so `await u.sendText('/start'); await u.nextMessage()` cannot miss a reply
 * that arrives before `nextMessage` is called.
 */
export class TestUser {
  /** The Telegram `User` the bot sees in `ctx.from`. */
  readonly user: TgUser;

  constructor(
    private readonly state: EmulatorState,
    user: TgUser,
    private readonly defaultTimeoutMs = DEFAULT_WAIT_MS,
  ) {
    this.user = user;
    state.chats.ensure(user);
  }

  /** The user's id, which is also the private chat's id. */
  get id(): number {
    return this.user.id;
  }

  /** Sends a text; one starting with `/` carries a `bot_command` entity. Returns the sent message. */
  async sendText(text: string): Promise<Message> {
    return userSendText(this.state, this.user, text);
  }

  /** Sends a compressed photo (`message.photo`), kept byte for byte so the bot can download it. */
  sendPhoto(buf: Buffer, opts: { caption?: string; filename?: string } = {}): Promise<Message> {
    return userSendPhoto(this.state, this.user, buf, opts);
  }

  /** Sends a file as a document (`message.document`). */
  sendDocument(buf: Buffer, filename: string, opts: { caption?: string; mimeType?: string } = {}): Promise<Message> {
    return userSendDocument(this.state, this.user, buf, filename, opts);
  }

  /** Sends an album: one update per item, all sharing one `media_group_id`. */
  sendAlbum(items: readonly AlbumItem[]): Promise<Message[]> {
    return userSendAlbum(this.state, this.user, items);
  }

  /**
   * The newest bot message carrying a matching inline button, and that button.
   * With `messageId`, only that message is searched.
   */
  findButton(matcher: ButtonMatcher, opts: { messageId?: number } = {}): { message: Message; button: InlineKeyboardButton } | undefined {
    const candidates = this.messages().filter((m) => m.from.is_bot && (opts.messageId === undefined || m.message_id === opts.messageId));
    for (const message of candidates.reverse()) {
      const button = message.reply_markup?.inline_keyboard.flat().find((b) => matches(matcher, b, message));
      if (button) return { message, button };
    }
    return undefined;
  }

  /**
   * Presses a callback button (see `findButton`): queues a `callback_query` with its
   * `callback_data` and returns the query id at once (see `callbackAnswer`).
   *
   * @throws Error when no such button exists or it opens a URL instead of calling back.
   */
  async press(matcher: ButtonMatcher, opts: { messageId?: number } = {}): Promise<string> {
    const found = this.findButton(matcher, opts);
    if (!found) {
      throw new Error(`No inline button ${String(matcher)} in chat ${this.id}; ${this.state.chats.describe(this.id)}`);
    }
    const data = found.button.callback_data;
    if (data === undefined) {
      const target = found.button.url ?? found.button.web_app?.url ?? 'something else';
      throw new Error(`Button "${found.button.text}" does not call back, it opens ${target}; read it with findButton()`);
    }
    return userPress(this.state, this.user, found.message.message_id, data);
  }

  /** Presses "a button" of message `messageId` with arbitrary data: forged or stale presses. */
  async pressData(messageId: number, data: string): Promise<string> {
    return userPress(this.state, this.user, messageId, data);
  }

  /**
   * The oldest bot message not yet returned by `nextMessage`, as it was when sent
   * (later edits are not applied: use `waitForMessage` for those). Waits if none.
   */
  nextMessage(opts: WaitOptions = {}): Promise<Message> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    return this.state.chats.require(this.id).inbox.shift(
      timeoutMs,
      () => `Timed out after ${timeoutMs} ms waiting for the bot's next message; ${this.state.chats.describe(this.id)}`,
    );
  }

  /** Bot messages sent but not yet read by `nextMessage`, oldest first. */
  unreadMessages(): Message[] {
    return this.state.chats.require(this.id).inbox.peekAll();
  }

  /**
   * The newest bot message of the chat, in its current state (edits applied), that
   * satisfies `predicate`; checked now and after every change. Does not touch the inbox.
   */
  waitFor(predicate: (m: Message) => boolean, opts: WaitOptions = {}): Promise<Message> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    return this.state.chats.waitUntil(
      this.id,
      () => this.messages().reverse().find((m) => m.from.is_bot && predicate(m)),
      timeoutMs,
      () => `Timed out after ${timeoutMs} ms waiting for a bot message that matches; ${this.state.chats.describe(this.id)}`,
    );
  }

  /** Message `messageId` once its current state (after edits) satisfies `predicate`. */
  waitForMessage(messageId: number, predicate: (m: Message) => boolean, opts: WaitOptions = {}): Promise<Message> {
    return waitForMessageState(this.state, this.id, messageId, predicate, opts.timeoutMs ?? this.defaultTimeoutMs);
  }

  /** Every message of the chat (both sides), current state, oldest first; copies. */
  messages(): Message[] {
    return [...this.state.chats.require(this.id).messages.values()].map((m) => structuredClone(m));
  }

  /** The bot's last answer to this user's button presses (the toast or alert), if any. */
  lastCallbackAnswer(): CallbackAnswer | undefined {
    return this.state.callbackAnswers.findLast((a) => a.userId === this.id);
  }

  /** Waits for the bot to answer the callback query `queryId` (as returned by `press`). */
  callbackAnswer(queryId: string, opts: WaitOptions = {}): Promise<CallbackAnswer> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    return this.state.chats.waitUntil(
      this.id,
      () => this.state.callbackAnswers.find((a) => a.callbackQueryId === queryId),
      timeoutMs,
      () => `Timed out after ${timeoutMs} ms waiting for the bot to answer callback query ${queryId} (answerCallbackQuery)`,
    );
  }

  /** The bytes of a file in the chat; a message means its (largest) photo or its document. */
  async downloadFile(ref: FileRef): Promise<Buffer> {
    const id = fileIdOf(ref);
    const file = this.state.files.get(id);
    if (!file) throw new Error(`Unknown file_id ${id}`);
    return this.state.files.read(file);
  }

  /** The reply keyboard the bot currently shows under the text box, if any. */
  replyKeyboard(): ReplyKeyboardMarkup | undefined {
    const keyboard = this.state.chats.require(this.id).replyKeyboard;
    return keyboard && structuredClone(keyboard);
  }

  /** The last `sendChatAction` action in this chat, e.g. `typing`. */
  lastChatAction(): string | undefined {
    return this.state.chats.require(this.id).lastChatAction;
  }

  /** Blocks the bot: its sends to this chat fail with 403 until `unblock`. */
  block(): void {
    this.state.chats.require(this.id).isBlocked = true;
  }

  /** Lifts `block`. */
  unblock(): void {
    this.state.chats.require(this.id).isBlocked = false;
  }
}

/** Waits until message `messageId` of `chatId` (current state) satisfies `predicate`. */
export function waitForMessageState(
  state: EmulatorState,
  chatId: number,
  messageId: number,
  predicate: (m: Message) => boolean,
  timeoutMs: number,
): Promise<Message> {
  return state.chats.waitUntil(
    chatId,
    () => {
      const m = state.chats.find(chatId)?.messages.get(messageId);
      return m && predicate(m) ? structuredClone(m) : undefined;
    },
    timeoutMs,
    () => `Timed out after ${timeoutMs} ms waiting for message ${messageId} to match; ${state.chats.describe(chatId)}`,
  );
}
