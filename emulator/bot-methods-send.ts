import { badRequest } from './api-error.js';
import { documentOf, photoSizes } from './file-store.js';
import type { MethodContext, MethodHandler } from './method-context.js';
import {
  applyMarkup,
  checkText,
  deliverBotMessage,
  newBotMessage,
  readMarkup,
  resolveInputFile,
  setBody,
  writableChat,
} from './outgoing.js';
import { isRecord } from './params.js';
import type { Message } from './types.js';

async function sendMessage({ state, params }: MethodContext): Promise<Message> {
  const chat = writableChat(state, params);
  const text = params.string('text');
  const parseMode = params.string('parse_mode');
  checkText(text, parseMode, 'text');
  const markup = readMarkup(params);
  const message = newBotMessage(state, chat, params);
  setBody(message, 'text', text, parseMode);
  const entities = params.json('entities', 'message entities JSON object');
  if (Array.isArray(entities) && entities.length > 0) message.entities = entities as Message['entities'];
  applyMarkup(chat, message, markup);
  return deliverBotMessage(state, chat, message);
}

async function sendFile({ state, params, files }: MethodContext, kind: 'photo' | 'document'): Promise<Message> {
  const chat = writableChat(state, params);
  const caption = params.string('caption');
  const parseMode = params.string('parse_mode');
  checkText(caption, parseMode, 'caption');
  const markup = readMarkup(params);
  const file = await resolveInputFile(state, params.raw[kind], files, kind, kind);
  const message = newBotMessage(state, chat, params);
  if (kind === 'photo') message.photo = photoSizes(file);
  else message.document = documentOf(file);
  setBody(message, 'caption', caption, parseMode);
  applyMarkup(chat, message, markup);
  return deliverBotMessage(state, chat, message);
}

/** One parsed `InputMedia` item of `sendMediaGroup` or `editMessageMedia`. */
export interface InputMediaItem {
  type: 'photo' | 'document';
  media: unknown;
  caption?: string;
  parseMode?: string;
}

/**
 * Reads an `InputMedia` object; only `photo` and `document` exist in the emulator.
 *
 * @throws `can't parse InputMedia: ...` for a malformed item.
 */
export function readInputMedia(raw: unknown): InputMediaItem {
  if (!isRecord(raw)) throw badRequest("can't parse InputMedia: InputMedia must be an Object");
  if (raw.type !== 'photo' && raw.type !== 'document') {
    throw badRequest(`can't parse InputMedia: unsupported media type "${String(raw.type)}" (the emulator knows photo and document)`);
  }
  const item: InputMediaItem = { type: raw.type, media: raw.media };
  if (typeof raw.caption === 'string') item.caption = raw.caption;
  if (typeof raw.parse_mode === 'string') item.parseMode = raw.parse_mode;
  checkText(item.caption, item.parseMode, 'caption');
  return item;
}

async function sendMediaGroup(ctx: MethodContext): Promise<Message[]> {
  const { state, params, files } = ctx;
  const chat = writableChat(state, params);
  const raw = params.json('media', 'media JSON object');
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('media to send are not specified');
  if (raw.length > 10) throw badRequest('too much messages to send as an album');
  const items = raw.map(readInputMedia);
  if (new Set(items.map((i) => i.type)).size > 1) throw badRequest("document can't be mixed with other media types");
  const stored = [];
  for (const item of items) stored.push(await resolveInputFile(state, item.media, files, item.type, item.type));
  const mediaGroupId = state.newMediaGroupId();
  return stored.map((file, i) => {
    const item = items[i];
    const message = newBotMessage(state, chat, params);
    if (item?.type === 'photo') message.photo = photoSizes(file);
    else message.document = documentOf(file);
    message.media_group_id = mediaGroupId;
    setBody(message, 'caption', item?.caption, item?.parseMode);
    return deliverBotMessage(state, chat, message);
  });
}

/** `sendMessage`, `sendPhoto`, `sendDocument`, `sendMediaGroup`. */
export const sendMethods: Record<string, MethodHandler> = {
  sendMessage,
  sendPhoto: (ctx) => sendFile(ctx, 'photo'),
  sendDocument: (ctx) => sendFile(ctx, 'document'),
  sendMediaGroup,
};
