import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Validation of a Telegram Mini App's `initData`, exactly as Telegram documents it
 * (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
 * `secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)`,
 * `hash = hex(HMAC_SHA256(key=secret_key, msg=data_check_string))`, where the
 * data-check-string is every received field but `hash`, sorted by key, as `key=value`
 * lines joined by `\n`.
 */

/** What a valid initData says about the person who opened the Mini App. */
export interface InitDataUser {
  userId: number;
  /** Telegram's IETF language tag, when the client sent one. */
  languageCode: string | undefined;
  /** Seconds since the epoch at which Telegram signed the data. */
  authDate: number;
  /** `startapp` parameter of a direct Mini App link, when present. */
  startParam: string | undefined;
}

/** Why initData was refused. */
export type InitDataRejection = 'malformed' | 'missing-hash' | 'bad-hash' | 'stale' | 'no-user';

export type InitDataCheck = { ok: true; value: InitDataUser } | { ok: false; reason: InitDataRejection };

/** How old initData may be by default: 1 h, in seconds. */
export const DEFAULT_INIT_DATA_MAX_AGE_S = 3600;

/** Clock skew tolerated for an `auth_date` in the future, in seconds. */
const FUTURE_SKEW_S = 300;

/** The data-check-string Telegram signs: fields except `hash`, sorted by key, `key=value` joined by `\n`. */
export function dataCheckString(fields: ReadonlyMap<string, string>): string {
  return [...fields.entries()]
    .filter(([k]) => k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** Parses the query string into fields; `undefined` on a repeated key (Telegram never repeats one). */
function parseFields(initData: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(initData)) {
    if (fields.has(k)) return undefined;
    fields.set(k, v);
  }
  return fields;
}

/**
 * Checks initData's signature against the bot token, its freshness (`auth_date` no older
 * than `maxAgeS`), and extracts the user. Never throws on bad input.
 */
export function validateInitData(
  initData: string,
  opts: { botToken: string; now?: number; maxAgeS?: number },
): InitDataCheck {
  if (initData.length === 0 || initData.length > 8192) return { ok: false, reason: 'malformed' };
  const fields = parseFields(initData);
  if (!fields) return { ok: false, reason: 'malformed' };
  const hash = fields.get('hash');
  if (hash === undefined || hash === '') return { ok: false, reason: 'missing-hash' };
  if (!/^[0-9a-f]{64}$/i.test(hash)) return { ok: false, reason: 'bad-hash' };
  const secretKey = createHmac('sha256', 'WebAppData').update(opts.botToken).digest();
  const expected = createHmac('sha256', secretKey).update(dataCheckString(fields)).digest();
  if (!timingSafeEqual(Buffer.from(hash, 'hex'), expected)) return { ok: false, reason: 'bad-hash' };

  const authDate = Number(fields.get('auth_date'));
  if (!Number.isSafeInteger(authDate) || authDate <= 0) return { ok: false, reason: 'malformed' };
  const nowS = Math.floor((opts.now ?? Date.now()) / 1000);
  const age = nowS - authDate;
  if (age > (opts.maxAgeS ?? DEFAULT_INIT_DATA_MAX_AGE_S) || age < -FUTURE_SKEW_S) return { ok: false, reason: 'stale' };

  const user = parseUser(fields.get('user'));
  if (!user) return { ok: false, reason: 'no-user' };
  return { ok: true, value: { ...user, authDate, startParam: fields.get('start_param') || undefined } };
}

function parseUser(json: string | undefined): Pick<InitDataUser, 'userId' | 'languageCode'> | undefined {
  if (json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { id, language_code: lang } = parsed as { id?: unknown; language_code?: unknown };
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
  return { userId: id, languageCode: typeof lang === 'string' ? lang : undefined };
}
