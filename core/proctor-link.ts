import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to the proctor's projector page (`/proctor?t=…`), sent by
 * `/stations` to a proctor. Token = base64url(`v1|<userId>|<expiresAt ms>`) "."
 * base64url(HMAC-SHA256(LINK_SECRET, "proctor-link:" + payload64)); the domain keeps an
 * editor or export token from ever passing as a proctor's. The web process checks again,
 * on every request, that the user is still a proctor.
 */

/** How long a projector link lasts: the exam's 2 h and some. */
export const PROCTOR_LINK_TTL_MS = 3 * 60 * 60 * 1000;

const DOMAIN = 'proctor-link:';

function mac(secret: string, payload64: string): Buffer {
  if (secret.length < 16) throw new Error('proctor link: LINK_SECRET must be at least 16 characters; set a long random value');
  return createHmac('sha256', secret).update(DOMAIN + payload64).digest();
}

export function signProctorLink(input: { secret: string; userId: number; expiresAt: number }): string {
  for (const n of [input.userId, input.expiresAt]) {
    if (!Number.isSafeInteger(n)) throw new Error(`proctor link: ${String(n)} is not a safe integer`);
  }
  const payload64 = Buffer.from(['v1', input.userId, input.expiresAt].join('|')).toString('base64url');
  return `${payload64}.${mac(input.secret, payload64).toString('base64url')}`;
}

export type ProctorLinkCheck = { ok: true; userId: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** Verifies a token in constant time; never throws on bad input. */
export function verifyProctorLink(token: string, opts: { secret: string; now?: number }): ProctorLinkCheck {
  const [payload64, sig64, ...rest] = token.length > 256 ? [] : token.split('.');
  if (!payload64 || !sig64 || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(payload64 + sig64)) return { ok: false, reason: 'malformed' };
  const sig = Buffer.from(sig64, 'base64url');
  const expected = mac(opts.secret, payload64);
  if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) return { ok: false, reason: 'forged' };
  const [version, user, exp, ...more] = Buffer.from(payload64, 'base64url').toString('utf8').split('|');
  const userId = Number(user);
  const expiresAt = Number(exp);
  if (version !== 'v1' || more.length > 0 || !Number.isSafeInteger(userId) || !Number.isSafeInteger(expiresAt)) return { ok: false, reason: 'malformed' };
  if ((opts.now ?? Date.now()) >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, userId };
}

/** Compares a typed code with the configured one in constant time (over their hashes, so lengths leak nothing). */
export function codeMatches(typed: string | undefined, expected: string | undefined): boolean {
  if (!typed || !expected) return false;
  const h = (s: string) => createHmac('sha256', DOMAIN).update(s).digest();
  return timingSafeEqual(h(typed), h(expected));
}
