import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to the box editor, for the local chat and plain browsers
 * (inside Telegram the Mini App's initData proves who is asking instead).
 *
 * Token = base64url(payload) "." base64url(HMAC-SHA256(secret, "editor-link:" + payload64)),
 * payload = `v1|<station>|<photoId>|<userId>|<expiresAt ms>`. The signature covers the
 * encoded payload exactly as sent, so no re-serialisation can change what was signed.
 */

/** What a link grants: one user, one photo of one station, until `expiresAt`. */
export interface EditorLinkClaims {
  stationNo: string;
  photoId: number;
  /** Telegram user id (or the emulator's) the link was issued to. */
  userId: number;
  /** Milliseconds since the epoch after which the link is refused. */
  expiresAt: number;
}

export interface SignEditorLinkInput extends EditorLinkClaims {
  /** LINK_SECRET; at least 16 characters. */
  secret: string;
}

/** Why a token was refused. `other-photo`: valid, but for a different photo than asked for. */
export type LinkRejection = 'malformed' | 'forged' | 'expired' | 'other-photo';

export type LinkCheck = { ok: true; claims: EditorLinkClaims } | { ok: false; reason: LinkRejection };

/** How long a link lasts when the caller has no reason to choose: 2 h, longer than the exam's editing window needs. */
export const DEFAULT_LINK_TTL_MS = 2 * 60 * 60 * 1000;

const VERSION = 'v1';
const DOMAIN = 'editor-link:';
const SIG_BYTES = 32;
const STATION_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

function mac(secret: string, payload64: string): Buffer {
  return createHmac('sha256', secret).update(DOMAIN + payload64).digest();
}

function assertSecret(secret: string): void {
  if (secret.length < 16) {
    throw new Error('editor link: LINK_SECRET must be at least 16 characters; set a long random value');
  }
}

/** Signs a link token. Throws on a short secret or claims that could not round-trip. */
export function signEditorLink(input: SignEditorLinkInput): string {
  assertSecret(input.secret);
  const { stationNo, photoId, userId, expiresAt } = input;
  if (!STATION_RE.test(stationNo)) throw new Error(`editor link: station number ${JSON.stringify(stationNo)} is not valid`);
  for (const [name, n] of [['photoId', photoId], ['userId', userId], ['expiresAt', expiresAt]] as const) {
    if (!Number.isSafeInteger(n)) throw new Error(`editor link: ${name} must be a safe integer, got ${String(n)}`);
  }
  const payload64 = Buffer.from([VERSION, stationNo, photoId, userId, expiresAt].join('|')).toString('base64url');
  return `${payload64}.${mac(input.secret, payload64).toString('base64url')}`;
}

/**
 * Verifies a token in constant time and checks its expiry (and, given `photoId`, that
 * it is for that photo). Never throws on bad input: a bad token is a value.
 */
export function verifyEditorLink(
  token: string,
  opts: { secret: string; now?: number; photoId?: number },
): LinkCheck {
  assertSecret(opts.secret);
  if (token.length > 512) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  const [payload64, sig64] = parts;
  if (parts.length !== 2 || !payload64 || !sig64 || !/^[A-Za-z0-9_-]+$/.test(payload64 + sig64)) {
    return { ok: false, reason: 'malformed' };
  }
  const sig = Buffer.from(sig64, 'base64url');
  const expected = mac(opts.secret, payload64);
  if (sig.length !== SIG_BYTES || !timingSafeEqual(sig, expected)) return { ok: false, reason: 'forged' };
  const claims = parseClaims(Buffer.from(payload64, 'base64url').toString('utf8'));
  if (!claims) return { ok: false, reason: 'malformed' };
  if ((opts.now ?? Date.now()) >= claims.expiresAt) return { ok: false, reason: 'expired' };
  if (opts.photoId !== undefined && opts.photoId !== claims.photoId) return { ok: false, reason: 'other-photo' };
  return { ok: true, claims };
}

function parseClaims(text: string): EditorLinkClaims | undefined {
  const [version, stationNo, photo, user, exp, ...rest] = text.split('|');
  if (version !== VERSION || rest.length > 0 || !stationNo || !STATION_RE.test(stationNo)) return undefined;
  const nums = [photo, user, exp].map((s) => (s !== undefined && /^-?\d{1,16}$/.test(s) ? Number(s) : NaN));
  const [photoId, userId, expiresAt] = nums;
  if (photoId === undefined || userId === undefined || expiresAt === undefined || nums.some((n) => !Number.isSafeInteger(n))) {
    return undefined;
  }
  return { stationNo, photoId, userId, expiresAt };
}

/** The editor page's address for a token: `${baseUrl}/editor?t=<token>` (a trailing `/` on the base is ignored). */
export function editorUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/editor?t=${encodeURIComponent(token)}`;
}
