import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, apiErrors } from './api-error.js';
import { editMethods } from './bot-methods-edit.js';
import { miscMethods } from './bot-methods-misc.js';
import { sendMethods } from './bot-methods-send.js';
import type { EmulatorState } from './emulator-state.js';
import type { MethodHandler } from './method-context.js';
import { Params } from './params.js';
import { readRequestBody } from './request-body.js';

/** Bot API methods by lower-case name: Telegram treats method names case-insensitively. */
const METHODS = new Map<string, MethodHandler>(
  Object.entries({ ...sendMethods, ...editMethods, ...miscMethods }).map(([name, fn]) => [name.toLowerCase(), fn]),
);

/** The methods the emulator implements, as Telegram spells them. */
export const SUPPORTED_METHODS: readonly string[] = Object.keys({ ...sendMethods, ...editMethods, ...miscMethods });

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Writes a JSON body unless the client already went away. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    sendJson(res, err.code, err.toJSON());
    return;
  }
  // A bug in the emulator: say so instead of pretending to be Telegram.
  const detail = err instanceof Error ? err.message : String(err);
  sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: emulator bug: ${detail}` });
}

/**
 * Serves `/bot<token>/<method>`: checks the token (401), finds the method (404), parses
 * the body, records the call and answers `{ ok, result }` or Telegram's error shape.
 *
 * @param pathname the request path, already known to start with `/bot`.
 */
export async function handleBotApi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  state: EmulatorState,
  token: string,
): Promise<void> {
  const match = /^\/bot([^/]+)\/([^/]*)$/.exec(pathname);
  try {
    if (!match?.[1]) throw apiErrors.notFound();
    if (!sameToken(decode(match[1]), token)) throw apiErrors.unauthorized();
    const method = decode(match[2] ?? '');
    const handler = METHODS.get(method.toLowerCase());
    if (!handler) throw apiErrors.notFound();
    const body = await readRequestBody(req, state.maxUploadBytes);
    delete body.params.method; // telegraf repeats the method name in multipart bodies
    state.recordCall(method, body.params);
    const onCancel = (cancel: () => void): void => {
      res.on('close', () => {
        if (!res.writableFinished) cancel();
      });
    };
    const result = await handler({ state, params: new Params(body.params), files: body.files, onCancel });
    sendJson(res, 200, { ok: true, result });
  } catch (err) {
    req.resume(); // drain anything unread so the error reaches the client
    sendError(res, err);
  }
}

/**
 * Serves `/file/bot<token>/<file_path>`: the bytes of a file the bot got from `getFile`.
 */
export function handleFileDownload(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  state: EmulatorState,
  token: string,
): void {
  req.resume();
  const match = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
  if (!match?.[1] || !match[2]) return sendJson(res, 404, apiErrors.notFound().toJSON());
  if (!sameToken(decode(match[1]), token)) return sendJson(res, 401, apiErrors.unauthorized().toJSON());
  const file = state.files.getByPath(decode(match[2]));
  if (!file) return sendJson(res, 404, apiErrors.notFound().toJSON());
  res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.size });
  createReadStream(file.diskPath).on('error', () => res.destroy()).pipe(res);
}
