import { apiErrors, badRequest } from './api-error.js';
import type { ChatState } from './chat-store.js';
import type { EmulatorState } from './emulator-state.js';
import type { FileKind, StoredFile } from './file-store.js';
import { isRecord, type Params } from './params.js';
import type { Upload } from './request-body.js';
import { plainText, validateTelegramHtml } from './telegram-html.js';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup } from './types.js';

/** Telegram's limits, in UTF-16 code units of the text after entity parsing. */
export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
/** Bytes of `callback_data`. */
export const MAX_CALLBACK_DATA_BYTES = 64;
/** Bytes the Bot API lets a bot download (`getFile`). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** What a `reply_markup` parameter asks for. */
export type MarkupRequest =
  | { kind: 'none' }
  | { kind: 'inline'; markup: InlineKeyboardMarkup }
  | { kind: 'reply'; markup: ReplyKeyboardMarkup }
  | { kind: 'remove' }
  | { kind: 'force_reply' };

const BUTTON_ACTIONS = ['callback_data', 'url', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay'];

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'tg:';
  } catch {
    return false;
  }
}

function checkInlineButton(button: unknown): InlineKeyboardButton {
  if (!isRecord(button) || typeof button.text !== 'string') {
    throw badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
  }
  const actions = BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  const data = button.callback_data;
  if (data !== undefined && (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)) {
    throw badRequest('BUTTON_DATA_INVALID');
  }
  if (button.url !== undefined && !isHttpUrl(button.url)) throw badRequest('BUTTON_URL_INVALID');
  // Telegram demands https for Web Apps; the emulator also takes http so the local
  // box editor works offline.
  if (button.web_app !== undefined && !(isRecord(button.web_app) && isHttpUrl(button.web_app.url))) {
    throw badRequest('BUTTON_URL_INVALID');
  }
  return button as InlineKeyboardButton;
}

/** Parses and validates `reply_markup` like Telegram (button data size, URLs, shape). */
export function readMarkup(params: Params): MarkupRequest {
  const raw = params.json('reply_markup', 'reply keyboard markup JSON object');
  if (raw === undefined) return { kind: 'none' };
  if (!isRecord(raw)) throw badRequest('object expected as reply markup');
  if (Array.isArray(raw.inline_keyboard)) {
    const rows = raw.inline_keyboard.map((row) => {
      if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      return row.map(checkInlineButton);
    });
    return { kind: 'inline', markup: { inline_keyboard: rows } };
  }
  if (Array.isArray(raw.keyboard)) {
    const rows = raw.keyboard.map((row) =>
      (Array.isArray(row) ? row : []).map((b) => (typeof b === 'string' ? { text: b } : isRecord(b) ? b : { text: '' })),
    );
    return { kind: 'reply', markup: { ...raw, keyboard: rows } as ReplyKeyboardMarkup };
  }
  if (raw.remove_keyboard === true) return { kind: 'remove' };
  if (raw.force_reply === true) return { kind: 'force_reply' };
  throw badRequest("can't parse reply keyboard markup JSON object");
}

/** Applies a markup request: inline goes on the message, reply keyboards on the chat. */
export function applyMarkup(chat: ChatState, message: Message, markup: MarkupRequest): void {
  if (markup.kind === 'inline' && markup.markup.inline_keyboard.length > 0) message.reply_markup = markup.markup;
  else if (markup.kind === 'reply') chat.replyKeyboard = markup.markup;
  else if (markup.kind === 'remove') chat.replyKeyboard = undefined;
}

/**
 * Validates a text or caption and its `parse_mode`, as Telegram does before sending.
 *
 * @throws `message text is empty`, `message is too long`, `message caption is too long`,
 *   `can't parse entities: ...`
 */
export function checkText(text: string | undefined, parseMode: string | undefined, kind: 'text' | 'caption'): void {
  if (text === undefined) {
    if (kind === 'text') throw badRequest('message text is empty');
    return;
  }
  if (parseMode?.toLowerCase() === 'html') validateTelegramHtml(text);
  const plain = plainText(text, parseMode);
  if (kind === 'text' && plain.trim() === '') throw badRequest('message text is empty');
  if (kind === 'text' && plain.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  if (kind === 'caption' && plain.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
}

/** Sets text or caption, with its parse mode, on a message (clearing both when empty). */
export function setBody(message: Message, field: 'text' | 'caption', value: string | undefined, parseMode: string | undefined): void {
  delete message[field];
  delete message.parse_mode;
  if (value === undefined || value === '') return;
  message[field] = value;
  if (parseMode !== undefined) message.parse_mode = parseMode;
}

/**
 * The chat the bot writes to, checked like Telegram.
 *
 * @throws `chat not found`; 403 when the user blocked the bot.
 */
export function writableChat(state: EmulatorState, params: Params): ChatState {
  const chat = state.chats.require(params.chatId());
  if (chat.isBlocked) throw apiErrors.blocked();
  return chat;
}

/** A new bot message for `chat`, taking the chat's next message id. */
export function newBotMessage(state: EmulatorState, chat: ChatState, params: Params): Message {
  const message: Message = { message_id: 0, from: state.bot, chat: { ...chat.chat }, date: state.now() };
  const replyParams = params.json('reply_parameters', 'reply parameters JSON object');
  const replyTo = isRecord(replyParams) ? Number(replyParams.message_id) : params.int('reply_to_message_id');
  if (replyTo !== undefined && !Number.isNaN(replyTo)) {
    const target = chat.messages.get(replyTo);
    const allowWithout = isRecord(replyParams)
      ? replyParams.allow_sending_without_reply === true
      : params.bool('allow_sending_without_reply') === true;
    if (target) {
      const copy = structuredClone(target);
      delete copy.reply_to_message;
      message.reply_to_message = copy;
    } else if (!allowWithout) throw badRequest('message to be replied not found');
  }
  message.message_id = chat.nextMessageId++;
  return message;
}

/** Stores a bot message and puts a snapshot in the chat's inbox. Returns a copy for the bot. */
export function deliverBotMessage(state: EmulatorState, chat: ChatState, message: Message): Message {
  state.chats.put(chat, message);
  chat.inbox.push(structuredClone(message));
  return structuredClone(message);
}

/**
 * Resolves an InputFile parameter: an upload in the same request (field name or
 * `attach://name`) becomes a new stored file; a string is an existing `file_id`.
 *
 * @throws `there is no <field> in the request`, `wrong file identifier/HTTP URL
 *   specified`, `failed to get HTTP URL content` (the emulator is offline), `type of
 *   file mismatch`.
 */
export async function resolveInputFile(
  state: EmulatorState,
  value: unknown,
  files: ReadonlyMap<string, Upload>,
  kind: FileKind,
  field: string,
): Promise<StoredFile> {
  let upload: Upload | undefined;
  if (value === undefined) upload = files.get(field);
  else if (typeof value === 'string' && value.startsWith('attach://')) {
    upload = files.get(value.slice('attach://'.length));
    if (!upload) throw badRequest(`can't parse InputMedia: media not found`);
  }
  if (upload) {
    if (upload.bytes.length === 0) throw badRequest('file must be non-empty');
    return state.files.put(upload.bytes, upload.fileName === undefined ? { kind } : { kind, fileName: upload.fileName });
  }
  if (typeof value !== 'string' || value === '') throw badRequest(`there is no ${field} in the request`);
  if (/^https?:\/\//i.test(value)) throw badRequest('failed to get HTTP URL content');
  const existing = state.files.get(value);
  if (!existing) throw badRequest('wrong file identifier/HTTP URL specified');
  if (existing.kind !== kind) throw badRequest('type of file mismatch');
  return existing;
}
