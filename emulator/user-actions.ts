import type { ChatState } from './chat-store.js';
import type { EmulatorState } from './emulator-state.js';
import { documentOf, photoSizes } from './file-store.js';
import type { Message, MessageEntity, TgUser } from './types.js';

/** Who a simulated user is. Private chat id = user id. */
export interface UserProfile {
  id: number;
  firstName?: string;
  username?: string;
  /** IETF tag as Telegram sends it, e.g. `zh-hans` or `en`. */
  languageCode?: string;
}

/** One item of an album a user sends. */
export interface AlbumItem {
  buf: Buffer;
  caption?: string;
  /** Send as a file (document) instead of a compressed photo. */
  asDocument?: boolean;
  filename?: string;
  mimeType?: string;
}

/** The Telegram `User` object for a profile. */
export function toTgUser(p: UserProfile): TgUser {
  const user: TgUser = { id: p.id, is_bot: false, first_name: p.firstName ?? `User ${p.id}` };
  if (p.username !== undefined) user.username = p.username;
  if (p.languageCode !== undefined) user.language_code = p.languageCode;
  return user;
}

const COMMAND = /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|[\s.,!?;:])/g;

/**
 * The `bot_command` entities Telegram attaches to a user's text: every `/command`
 * (optionally `@botname`) at the start of a word. Offsets and lengths in UTF-16 units.
 */
export function commandEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const m of text.matchAll(COMMAND)) {
    const lead = m[1] ?? '';
    const cmd = m[2] ?? '';
    out.push({ type: 'bot_command', offset: (m.index ?? 0) + lead.length, length: cmd.length });
  }
  return out;
}

function newUserMessage(state: EmulatorState, chat: ChatState, user: TgUser): Message {
  return { message_id: chat.nextMessageId++, from: user, chat: { ...chat.chat }, date: state.now() };
}

function deliver(state: EmulatorState, chat: ChatState, message: Message): Message {
  state.chats.put(chat, message);
  state.updates.push({ message: structuredClone(message) });
  return structuredClone(message);
}

function setCaption(message: Message, caption: string | undefined): void {
  if (caption === undefined || caption === '') return;
  message.caption = caption;
  const entities = commandEntities(caption);
  if (entities.length > 0) message.caption_entities = entities;
}

/** The user sends a text message; `/commands` get `bot_command` entities. */
export function userSendText(state: EmulatorState, user: TgUser, text: string): Message {
  if (text.trim() === '') throw new Error('A Telegram user cannot send an empty message');
  const chat = state.chats.ensure(user);
  const message = newUserMessage(state, chat, user);
  message.text = text;
  const entities = commandEntities(text);
  if (entities.length > 0) message.entities = entities;
  const keyboard = chat.replyKeyboard;
  if (keyboard?.one_time_keyboard && keyboard.keyboard.flat().some((b) => b.text === text)) {
    chat.replyKeyboard = undefined;
  }
  return deliver(state, chat, message);
}

/** Options of a photo or document the user sends. */
export interface UserFileOptions {
  caption?: string;
  filename?: string;
  mimeType?: string;
  mediaGroupId?: string;
}

/** The user sends a compressed photo; the bytes are kept as uploaded. */
export async function userSendPhoto(state: EmulatorState, user: TgUser, buf: Buffer, opts: UserFileOptions = {}): Promise<Message> {
  const file = await state.files.put(buf, { kind: 'photo', fileName: opts.filename ?? 'photo.jpg' });
  const chat = state.chats.ensure(user);
  const message = newUserMessage(state, chat, user);
  message.photo = photoSizes(file);
  if (opts.mediaGroupId !== undefined) message.media_group_id = opts.mediaGroupId;
  setCaption(message, opts.caption);
  return deliver(state, chat, message);
}

/** The user sends a file as a document. */
export async function userSendDocument(state: EmulatorState, user: TgUser, buf: Buffer, filename: string, opts: UserFileOptions = {}): Promise<Message> {
  const file = await state.files.put(buf, opts.mimeType === undefined ? { kind: 'document', fileName: filename } : { kind: 'document', fileName: filename, mimeType: opts.mimeType });
  const chat = state.chats.ensure(user);
  const message = newUserMessage(state, chat, user);
  message.document = documentOf(file);
  if (opts.mediaGroupId !== undefined) message.media_group_id = opts.mediaGroupId;
  setCaption(message, opts.caption);
  return deliver(state, chat, message);
}

/**
 * The user sends an album: one message and one update per item, all with the same
 * `media_group_id`, in order. Telegram does not mix documents with photos in an album.
 */
export async function userSendAlbum(state: EmulatorState, user: TgUser, items: readonly AlbumItem[]): Promise<Message[]> {
  if (items.length < 1 || items.length > 10) throw new Error('An album has 1 to 10 items');
  const kinds = new Set(items.map((i) => Boolean(i.asDocument)));
  if (kinds.size > 1) throw new Error('Telegram does not mix documents and photos in one album');
  const mediaGroupId = state.newMediaGroupId();
  const out: Message[] = [];
  for (const [i, item] of items.entries()) {
    const opts: UserFileOptions = { mediaGroupId };
    if (item.caption !== undefined) opts.caption = item.caption;
    if (item.filename !== undefined) opts.filename = item.filename;
    if (item.mimeType !== undefined) opts.mimeType = item.mimeType;
    out.push(
      item.asDocument
        ? await userSendDocument(state, user, item.buf, item.filename ?? `file_${i + 1}.dat`, opts)
        : await userSendPhoto(state, user, item.buf, opts),
    );
  }
  return out;
}

/**
 * The user presses an inline button of message `messageId` carrying `data` (any data:
 * tests use this to forge presses). Returns the callback query id.
 *
 * @throws Error when the message does not exist in the chat: nothing to press.
 */
export function userPress(state: EmulatorState, user: TgUser, messageId: number, data: string): string {
  const chat = state.chats.ensure(user);
  const message = chat.messages.get(messageId);
  if (!message) throw new Error(`Message ${messageId} does not exist in chat ${chat.chat.id}; ${state.chats.describe(chat.chat.id)}`);
  const id = state.newCallbackQueryId();
  state.pendingCallbacks.set(id, { userId: user.id, chatId: chat.chat.id });
  state.updates.push({
    callback_query: {
      id,
      from: user,
      message: structuredClone(message),
      chat_instance: `${-(8_000_000_000_000 + Math.abs(chat.chat.id))}`,
      data,
    },
  });
  return id;
}
