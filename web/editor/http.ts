import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TELEGRAM_FRAME_ANCESTORS } from '../headers.js';

/** Small HTTP helpers of the editor routes: bounded JSON bodies, headers, static files. */

/**
 * Headers on every editor response. Tokens travel in the query, so no Referer leaks
 * them and nothing is cached; the page loads only its own scripts. Annotorious sets
 * `style` attributes on the shapes it draws, so inline styles (not scripts) are allowed.
 * Telegram's web client shows Mini Apps in an iframe, so framing is allowed for its
 * origins only.
 */
export const EDITOR_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${TELEGRAM_FRAME_ANCESTORS}`,
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

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const own = (name: string): URL => new URL(`./static/${name}`, import.meta.url);

/**
 * The files the page may load, by exact name: the editor's own from `static/`, and
 * Annotorious's self-contained ES bundle and stylesheet from node_modules (no CDN:
 * the exam hall is offline).
 */
const STATIC_FILES: Readonly<Record<string, { type: string; url: () => URL; transform?: (text: string) => string }>> = {
  'editor.css': { type: CSS, url: () => own('editor.css') },
  'icon.svg': { type: 'image/svg+xml', url: () => own('icon.svg') },
  'editor-app.js': { type: JS, url: () => own('editor-app.js') },
  'editor-annotator.js': { type: JS, url: () => own('editor-annotator.js') },
  'editor-boxes.js': { type: JS, url: () => own('editor-boxes.js') },
  'editor-i18n.js': { type: JS, url: () => own('editor-i18n.js') },
  'annotorious.js': { type: JS, url: () => new URL(import.meta.resolve('@annotorious/annotorious')), transform: defineProduction },
  'annotorious.css': { type: CSS, url: () => new URL(import.meta.resolve('@annotorious/annotorious/annotorious.css')) },
};

/**
 * What a bundler's `define` does for the npm build of Annotorious: its bundled stores
 * read `process.env.NODE_ENV`, which a browser lacks.
 */
function defineProduction(text: string): string {
  return text.replaceAll('process.env.NODE_ENV', '"production"');
}

const cache = new Map<string, Buffer>();

/**
 * Serves one of the page's files by exact name (a fixed list, so no path from the URL
 * ever reaches the file system). Returns false for an unknown name.
 */
export async function serveStatic(res: ServerResponse, name: string): Promise<boolean> {
  const file = Object.hasOwn(STATIC_FILES, name) ? STATIC_FILES[name] : undefined;
  if (!file) return false;
  const { type } = file;
  let body = cache.get(name);
  if (!body) {
    body = await readFile(file.url());
    if (file.transform) body = Buffer.from(file.transform(body.toString('utf8')));
    cache.set(name, body);
  }
  res.writeHead(200, { ...EDITOR_HEADERS, 'cache-control': 'no-cache', 'content-type': type, 'content-length': body.length });
  res.end(body);
  return true;
}
