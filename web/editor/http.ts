import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small HTTP helpers of the editor routes: bounded JSON bodies, headers, static files. */

/**
 * Headers on every editor response. Tokens travel in the query, so no Referer leaks
 * them and nothing is cached; the page loads only its own scripts. Telegram's web
 * client shows Mini Apps in an iframe, so framing stays allowed.
 */
export const EDITOR_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** Sends a body with the editor headers. */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...EDITOR_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Sends JSON with the editor headers. */
export function sendJsonNoStore(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; error: 'too-large' | 'bad-json' };

/**
 * Reads a JSON body of at most `maxBytes`. The rest of a too-large body is drained, so
 * the client receives the 413 instead of a reset connection.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(req.headers['content-length'] ?? 0) > maxBytes;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) return { ok: false, error: 'too-large' };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: 'bad-json' };
  }
}

const STATIC_TYPES: Readonly<Record<string, string>> = {
  'editor.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
  'editor-app.js': 'text/javascript; charset=utf-8',
  'editor-canvas.js': 'text/javascript; charset=utf-8',
  'editor-model.js': 'text/javascript; charset=utf-8',
  'editor-i18n.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<string, Buffer>();

/**
 * Serves one of the editor's own files from `static/` by exact name (a fixed list, so no
 * path from the URL ever reaches the file system). Returns false for an unknown name.
 */
export async function serveStatic(res: ServerResponse, name: string): Promise<boolean> {
  const type = STATIC_TYPES[name];
  if (!type) return false;
  let body = cache.get(name);
  if (!body) {
    body = await readFile(new URL(`./static/${name}`, import.meta.url));
    cache.set(name, body);
  }
  res.writeHead(200, { ...EDITOR_HEADERS, 'cache-control': 'no-cache', 'content-type': type, 'content-length': body.length });
  res.end(body);
  return true;
}
