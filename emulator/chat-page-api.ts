import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';
import { sendJson } from './bot-api.js';
import { isSameOrigin, requestSession, tokenHash } from './chat-session.js';
import type { ChatState } from './chat-store.js';
import { scopeKey, type EmulatorState } from './emulator-state.js';
import { readRequestBody } from './request-body.js';
import type { Message, TgUser } from './types.js';
import {
  type AlbumItem,
  toTgUser,
  userPress,
  userSendAlbum,
  userSendDocument,
  userSendPhoto,
  userSendText,
} from './user-actions.js';

/** How long the page's long poll is held open when nothing changes, in milliseconds. */
const PAGE_POLL_MS = 25_000;

/** Why a page request was refused; answered as `{ ok: false, error }` with `status` (400 by default). */
class PageError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim().slice(0, max);
  return s === '' ? undefined : s;
}

/**
 * The page's user, from query or body fields `id`, `name`, `username`, `lang`. Ids are
 * positive integers below 10^12, which keeps them valid private chat ids.
 */
function pageUser(fields: Record<string, unknown>): TgUser {
  const id = Number(fields.id);
  if (!Number.isSafeInteger(id) || id <= 0 || id >= 1e12) throw new PageError('user id must be a positive integer');
  const profile: Parameters<typeof toTgUser>[0] = { id };
  const name = text(fields.name, 64);
  const username = text(fields.username, 32);
  const lang = text(fields.lang, 16);
  if (name !== undefined) profile.firstName = name;
  if (username !== undefined && /^[A-Za-z0-9_]{3,32}$/.test(username)) profile.username = username;
  if (lang !== undefined) profile.languageCode = lang;
  return toTgUser(profile);
}

function chatHasFile(messages: Iterable<Message>, fileId: string): boolean {
  for (const m of messages) {
    if (m.document?.file_id === fileId || m.photo?.some((p) => p.file_id === fileId)) return true;
  }
  return false;
}

/**
 * The chat the request's session serves. The page names its user once, in `POST session`;
 * every other call acts for that user only, whatever ids it carries.
 */
function sessionChat(state: EmulatorState, req: IncomingMessage): ChatState {
  const userId = state.sessions.userOf(requestSession(req));
  const chat = userId === undefined ? undefined : state.chats.find(userId);
  if (!chat) throw new PageError('no chat session: reload the chat page', 401);
  return chat;
}

/**
 * `POST session {user}`: the page's session opens (or switches to) the chat of `user`. A
 * chat belongs to the first session that opened it; another browser is refused.
 */
async function openSession(state: EmulatorState, req: IncomingMessage): Promise<unknown> {
  const token = requestSession(req);
  if (token === undefined) throw new PageError('no chat session: reload the chat page', 401);
  const { params } = await readRequestBody(req, 64 * 1024);
  const user = pageUser(typeof params.user === 'object' && params.user !== null ? (params.user as Record<string, unknown>) : {});
  const hash = tokenHash(token);
  const existing = state.chats.find(user.id);
  if (existing?.ownerHash !== undefined && existing.ownerHash !== hash) {
    throw new PageError('this chat is open in another browser; pick another user id', 403);
  }
  const chat = state.chats.ensure(user);
  if (chat.ownerHash === undefined) {
    chat.ownerHash = hash;
    state.chats.changed(chat);
  }
  state.sessions.bind(token, user.id);
  return { ok: true };
}

async function updates(state: EmulatorState, req: IncomingMessage, url: URL): Promise<unknown> {
  const chat = sessionChat(state, req);
  const user = chat.user;
  const since = Number(url.searchParams.get('since') ?? '-1');
  await state.chats.waitForVersion(chat.chat.id, Number.isFinite(since) ? since : -1, PAGE_POLL_MS);
  const answer = state.callbackAnswers.findLast((a) => a.userId === user.id);
  const lang = user.language_code ?? '';
  const commands =
    state.commands.get(scopeKey(undefined, lang)) ?? state.commands.get(scopeKey(undefined, undefined)) ?? [];
  return {
    version: chat.version,
    bot: { first_name: state.bot.first_name, username: state.bot.username },
    messages: [...chat.messages.values()].slice(-300),
    replyKeyboard: chat.replyKeyboard ?? null,
    answer: answer ?? null,
    commands,
  };
}

async function upload(state: EmulatorState, req: IncomingMessage): Promise<unknown> {
  const user = sessionChat(state, req).user;
  const body = await readRequestBody(req);
  const asDocument = body.params.as === 'document';
  const caption = text(body.params.caption, 1024);
  const uploads = [...body.files.values()].sort((a, b) => a.field.localeCompare(b.field, 'en', { numeric: true }));
  if (uploads.length === 0) throw new PageError('no file in the request');
  if (uploads.length > 10) throw new PageError('an album holds at most 10 files');
  if (uploads.length === 1 && uploads[0]) {
    const one = uploads[0];
    const opts = caption === undefined ? {} : { caption };
    if (asDocument) await userSendDocument(state, user, one.bytes, one.fileName ?? 'file', opts);
    else await userSendPhoto(state, user, one.bytes, one.fileName === undefined ? opts : { ...opts, filename: one.fileName });
    return { ok: true };
  }
  const items: AlbumItem[] = uploads.map((u, i) => {
    const item: AlbumItem = { buf: u.bytes, asDocument };
    if (u.fileName !== undefined) item.filename = u.fileName;
    if (i === 0 && caption !== undefined) item.caption = caption;
    return item;
  });
  await userSendAlbum(state, user, items);
  return { ok: true };
}

async function postJson(state: EmulatorState, req: IncomingMessage, action: 'send' | 'press'): Promise<unknown> {
  const user = sessionChat(state, req).user;
  const { params } = await readRequestBody(req, 1024 * 1024);
  if (action === 'send') {
    const t = typeof params.text === 'string' ? params.text : '';
    if (t.trim() === '') throw new PageError('empty message');
    userSendText(state, user, t.slice(0, 4096));
    return { ok: true };
  }
  const messageId = Number(params.messageId);
  if (typeof params.data !== 'string' || !Number.isSafeInteger(messageId)) throw new PageError('messageId and data are required');
  return { ok: true, callbackQueryId: userPress(state, user, messageId, params.data) };
}

function serveFile(state: EmulatorState, req: IncomingMessage, res: ServerResponse, fileId: string): void {
  const chat = sessionChat(state, req);
  const file = state.files.get(fileId);
  // A page only sees files of its own chat.
  if (!file || !chatHasFile(chat.messages.values(), fileId)) {
    sendJson(res, 404, { ok: false, error: 'not found' });
    return;
  }
  const name = (file.fileName ?? file.filePath.split('/').pop() ?? 'file').replace(/[^\w.\- ]/g, '_');
  res.writeHead(200, {
    'content-type': file.mimeType,
    'content-length': file.size,
    // Always an attachment, never a page of ours: an uploaded HTML or SVG file must not run
    // as the emulator's origin (an <img> still shows an image served this way).
    'content-disposition': `attachment; filename="${name}"`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=3600',
  });
  createReadStream(file.diskPath).on('error', () => res.destroy()).pipe(res);
}

/**
 * Serves the chat page's JSON endpoints under `/chat/api/`. They act as the user of the
 * request's session cookie (no bot token involved): `POST session` (open a chat),
 * `GET updates` (long poll), `POST send`, `POST press`, `POST upload` (multipart: one
 * photo/document, or an album), `GET file/<file_id>`. Every POST must come from the page's
 * own origin. (The route has already checked the Host header.)
 */
export async function handleChatApi(req: IncomingMessage, res: ServerResponse, url: URL, state: EmulatorState): Promise<void> {
  const route = url.pathname.slice('/chat/api/'.length);
  try {
    if (req.method === 'POST' && !isSameOrigin(req)) throw new PageError('cross-origin request refused', 403);
    if (req.method === 'POST' && route === 'session') return sendJson(res, 200, await openSession(state, req));
    if (req.method === 'GET' && route === 'updates') return sendJson(res, 200, await updates(state, req, url));
    if (req.method === 'GET' && route.startsWith('file/')) return serveFile(state, req, res, decodeURIComponent(route.slice(5)));
    if (req.method === 'POST' && route === 'send') return sendJson(res, 200, await postJson(state, req, 'send'));
    if (req.method === 'POST' && route === 'press') return sendJson(res, 200, await postJson(state, req, 'press'));
    if (req.method === 'POST' && route === 'upload') return sendJson(res, 200, await upload(state, req));
    req.resume();
    sendJson(res, 404, { ok: false, error: 'not found' });
  } catch (err) {
    req.resume();
    const status = err instanceof ApiError ? err.code : err instanceof PageError ? err.status : 400;
    const message = err instanceof ApiError ? err.description : err instanceof Error ? err.message : String(err);
    sendJson(res, status, { ok: false, error: message });
  }
}
