import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring download links for a station's export or hand-in zip, for files over
 * the Bot API's 50 MB upload limit. Same scheme as the editor's links (core/link-token.ts)
 * with its own signing domain, so an editor token never opens a download and vice versa.
 * Token = base64url(`v1|<station>|<kind>|<expiresAt>`) "." base64url(HMAC-SHA256).
 */
export type ExportLinkKind = 'dataset' | 'handin';

export interface ExportLinkClaims {
  stationNo: string;
  kind: ExportLinkKind;
  expiresAt: number;
}

/** The Bot API refuses uploads by bots above this size; larger zips go out as a link. */
export const BOT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

const DOMAIN = 'export-link:';
const STATION_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

function mac(secret: string, payload64: string): Buffer {
  if (secret.length < 16) throw new Error('export link: LINK_SECRET must be at least 16 characters; set a long random value');
  return createHmac('sha256', secret).update(DOMAIN + payload64).digest();
}

/** Signs a download token. */
export function signExportLink(secret: string, claims: ExportLinkClaims): string {
  if (!STATION_RE.test(claims.stationNo)) throw new Error(`export link: station number ${JSON.stringify(claims.stationNo)} is not valid`);
  const payload64 = Buffer.from(['v1', claims.stationNo, claims.kind, claims.expiresAt].join('|')).toString('base64url');
  return `${payload64}.${mac(secret, payload64).toString('base64url')}`;
}

/** Checks a token in constant time; `undefined` when malformed, forged, expired or for another station. */
export function verifyExportLink(token: string, secret: string, stationNo: string, now = Date.now()): ExportLinkClaims | undefined {
  const [payload64, sig64, ...rest] = token.split('.');
  if (rest.length > 0 || !payload64 || !sig64 || token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(payload64 + sig64)) return undefined;
  const sig = Buffer.from(sig64, 'base64url');
  const expected = mac(secret, payload64);
  if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) return undefined;
  const [v, station, kind, exp, ...more] = Buffer.from(payload64, 'base64url').toString('utf8').split('|');
  const expiresAt = Number(exp);
  if (v !== 'v1' || more.length > 0 || station !== stationNo || (kind !== 'dataset' && kind !== 'handin') || !Number.isSafeInteger(expiresAt)) return undefined;
  if (now >= expiresAt) return undefined;
  return { stationNo: station, kind, expiresAt };
}

/**
 * The web process's address as a chat user can reach it: PUBLIC_URL when set, else the
 * local web port (the emulator's chat runs on the same machine).
 */
export function webBaseUrl(config: { PUBLIC_URL?: string | undefined; WEB_HOST: string; WEB_PORT: number }): string {
  const base = config.PUBLIC_URL ?? `http://${config.WEB_HOST === '0.0.0.0' ? '127.0.0.1' : config.WEB_HOST}:${config.WEB_PORT}`;
  return base.replace(/\/+$/, '');
}

/** `GET /files/export/<station>/<token>`: the zip of `kind` the token names. */
export function exportDownloadUrl(base: string, stationNo: string, token: string): string {
  return `${base}/files/export/${encodeURIComponent(stationNo)}/${token}`;
}
