import { badRequest, NOT_MODIFIED } from './api-error.js';
import { readInputMedia } from './bot-methods-send.js';
import type { ChatState } from './chat-store.js';
import { documentOf, photoSizes } from './file-store.js';
import type { MethodContext, MethodHandler } from './method-context.js';
import { checkText, readMarkup, resolveInputFile, setBody } from './outgoing.js';
import type { Message } from './types.js';

interface EditTarget {
  chat: ChatState;
  message: Message;
}

/**
 * The bot message an edit addresses, checked like Telegram.
 *
 * @throws `chat not found`, `message to edit not found`, `message can't be edited`.
 */
function editTarget({ state, params }: MethodContext): EditTarget {
  if (params.has('inline_message_id')) {
    throw badRequest('inline messages are not supported by the emulator; pass chat_id and message_id');
  }
  const chat = state.chats.require(params.chatId());
  const id = params.int('message_id');
  if (id === undefined) throw badRequest('message identifier is not specified');
  const message = chat.messages.get(id);
  if (!message) throw badRequest('message to edit not found');
  if (!message.from.is_bot) throw badRequest("message can't be edited");
  return { chat, message };
}

function contentKey(m: Message): string {
  return JSON.stringify([m.text, m.caption, m.parse_mode, m.entities, m.photo?.[0]?.file_id, m.document?.file_id, m.reply_markup]);
}

/** The edit's new inline keyboard: absent means none, as on Telegram. */
function applyEditMarkup(ctx: MethodContext, next: Message): void {
  const markup = readMarkup(ctx.params);
  if (markup.kind !== 'none' && markup.kind !== 'inline') throw badRequest('inline keyboard expected');
  if (markup.kind === 'inline' && markup.markup.inline_keyboard.length > 0) next.reply_markup = markup.markup;
  else delete next.reply_markup;
}

/**
 * Replaces the stored message with `next` unless nothing changed.
 *
 * @throws Telegram's `message is not modified: ...` when content and markup are equal.
 */
function commit(ctx: MethodContext, target: EditTarget, next: Message): Message {
  if (contentKey(next) === contentKey(target.message)) throw badRequest(NOT_MODIFIED);
  next.edit_date = ctx.state.now();
  target.chat.messages.set(next.message_id, next);
  ctx.state.chats.changed(target.chat);
  return structuredClone(next);
}

function editMessageText(ctx: MethodContext): Message {
  const target = editTarget(ctx);
  const text = ctx.params.string('text');
  const parseMode = ctx.params.string('parse_mode');
  checkText(text, parseMode, 'text');
  if (target.message.text === undefined) throw badRequest('there is no text in the message to edit');
  const next = structuredClone(target.message);
  setBody(next, 'text', text, parseMode);
  delete next.entities;
  const entities = ctx.params.json('entities', 'message entities JSON object');
  if (Array.isArray(entities) && entities.length > 0) next.entities = entities as Message['entities'];
  applyEditMarkup(ctx, next);
  return commit(ctx, target, next);
}

function editMessageCaption(ctx: MethodContext): Message {
  const target = editTarget(ctx);
  const caption = ctx.params.string('caption');
  const parseMode = ctx.params.string('parse_mode');
  checkText(caption, parseMode, 'caption');
  if (!target.message.photo && !target.message.document) throw badRequest('there is no caption in the message to edit');
  const next = structuredClone(target.message);
  setBody(next, 'caption', caption, parseMode);
  applyEditMarkup(ctx, next);
  return commit(ctx, target, next);
}

function editMessageReplyMarkup(ctx: MethodContext): Message {
  const target = editTarget(ctx);
  const next = structuredClone(target.message);
  applyEditMarkup(ctx, next);
  return commit(ctx, target, next);
}

async function editMessageMedia(ctx: MethodContext): Promise<Message> {
  const target = editTarget(ctx);
  const item = readInputMedia(ctx.params.json('media', 'InputMedia JSON object'));
  const old = target.message;
  if (!old.photo && !old.document) throw badRequest('there is no media in the message to edit');
  if (old.media_group_id !== undefined && (item.type === 'photo') !== Boolean(old.photo)) {
    throw badRequest("can't change media type of a message in an album");
  }
  const file = await resolveInputFile(ctx.state, item.media, ctx.files, item.type, item.type);
  const next = structuredClone(old);
  delete next.photo;
  delete next.document;
  if (item.type === 'photo') next.photo = photoSizes(file);
  else next.document = documentOf(file);
  setBody(next, 'caption', item.caption, item.parseMode);
  applyEditMarkup(ctx, next);
  return commit(ctx, target, next);
}

function deleteMessage({ state, params }: MethodContext): true {
  const chat = state.chats.require(params.chatId());
  const id = params.int('message_id');
  if (id === undefined || !chat.messages.delete(id)) throw badRequest('message to delete not found');
  state.chats.changed(chat);
  return true;
}

function deleteMessages({ state, params }: MethodContext): true {
  const chat = state.chats.require(params.chatId());
  const ids = params.json('message_ids', 'message identifiers JSON array');
  if (!Array.isArray(ids) || ids.length === 0) throw badRequest('message identifiers are not specified');
  for (const id of ids) chat.messages.delete(Number(id));
  state.chats.changed(chat);
  return true;
}

/** `editMessageText`, `editMessageCaption`, `editMessageReplyMarkup`, `editMessageMedia`, `deleteMessage(s)`. */
export const editMethods: Record<string, MethodHandler> = {
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  editMessageMedia,
  deleteMessage,
  deleteMessages,
};
