import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { sessionCookie } from './chat-session.js';

interface PageParts {
  html: string;
  css: string;
  js: string;
}

let parts: PageParts | undefined;

function loadParts(): PageParts {
  if (parts) return parts;
  const read = (name: string): string => readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8');
  // The two scripts share one scope: a strict IIFE keeps it off `window`.
  const js = `(() => {\n'use strict';\n${read('chat-render.js')}\n${read('chat-app.js')}\n})();`;
  parts = { html: read('chat.html'), css: read('chat.css'), js };
  return parts;
}

/**
 * The self-contained chat page: `static/chat.html` with `chat.css`, `chat-render.js` and
 * `chat-app.js` inlined, tagged with a fresh CSP nonce. It talks only to `/chat/api/*` and never sees the bot token.
 */
export function renderChatPage(nonce: string): string {
  const { html, css, js } = loadParts();
  // Function replacers: the inlined sources may contain `$` sequences.
  return html
    .replaceAll('__NONCE__', () => nonce)
    .replace('__CSS__', () => css)
    .replace('__JS__', () => js);
}

/**
 * Answers `GET /chat` with the page and a strict Content-Security-Policy; `newSession`
 * (a token) is set as the session cookie when the browser has none yet.
 */
export function serveChatPage(res: ServerResponse, newSession?: string): void {
  const nonce = randomBytes(16).toString('base64');
  const body = renderChatPage(nonce);
  if (newSession !== undefined) res.setHeader('set-cookie', sessionCookie(newSession));
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' blob: data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  });
  res.end(body);
}
