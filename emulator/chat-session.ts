import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The chat page's session cookie: a random token, HttpOnly and SameSite=Strict. */
export const SESSION_COOKIE = 'tgemu_session';

const TOKEN_RE = /^[A-Za-z0-9_-]{32,64}$/;

/** The `Set-Cookie` value for a session token (kept 30 days so a browser keeps its chat). */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/chat; HttpOnly; SameSite=Strict; Max-Age=${30 * 24 * 3600}`;
}

/** A fresh session token (256 bits). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its hash, so the history file on disk cannot be replayed as a cookie. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The session token the request carries, if well-formed. */
export function requestSession(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (name === SESSION_COOKIE && TOKEN_RE.test(value)) return value;
  }
  return undefined;
}

/**
 * Whether the `Host` header names this emulator: its port, and a host that is an IP literal
 * or `localhost`. A DNS-rebinding page reaches us under its own domain name, which is
 * refused; a LAN address typed by a person (an IP literal) is still served.
 */
export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  let url: URL;
  try {
    url = new URL(`http://${hostHeader}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/') return false;
  const hostPort = url.port === '' ? 80 : Number(url.port);
  if (hostPort !== port) return false;
  const name = url.hostname.replace(/^\[|\]$/g, '');
  return name === 'localhost' || isIP(name) !== 0;
}

/**
 * Whether a state-changing request comes from the chat page itself: its `Origin` must be
 * this very origin (`http://` + the Host it was sent to). A page on another local port is
 * same-site for SameSite cookies, so the cookie alone does not stop it; this does.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  return typeof origin === 'string' && typeof host === 'string' && origin === `http://${host}`;
}

/**
 * Browser sessions of the chat page: which chat user each session serves now. A chat user
 * belongs to the first session that opened it (`ChatState.ownerHash`); another browser
 * cannot read or act in that chat.
 */
export class ChatSessions {
  /** Token hash → the user id the session serves now. */
  private readonly current = new Map<string, number>();

  /** The user id the session serves, if it has opened a chat. */
  userOf(token: string | undefined): number | undefined {
    return token === undefined ? undefined : this.current.get(tokenHash(token));
  }

  /** Makes the session serve `userId` (the caller checked ownership). */
  bind(token: string, userId: number): void {
    this.current.set(tokenHash(token), userId);
  }
}
