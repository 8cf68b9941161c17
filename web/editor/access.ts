import type { IncomingMessage } from 'node:http';
import type { Lang, Photo, Store } from '../../store/index.js';
import { DEFAULT_INIT_DATA_MAX_AGE_S, validateInitData } from './init-data.js';
import { verifyEditorLink, type KeySuffix } from '../../core/index.js';

/** Why a request may not see or edit a photo; each code has its text under `editor.denied.*`. */
export type DenialCode = KeySuffix<'editor.denied.'>;

/**
 * Who may open the editor for which photo. Two ways in: a signed link (`?t=`) or a
 * Telegram Mini App's initData (header `X-Telegram-Init-Data`, or `Authorization: tma …`).
 * Either way the user must be bound to the photo's station in `store.users`.
 */

/** Secrets and limits access checks need. */
export interface AccessDeps {
  store: Store;
  /** LINK_SECRET; signed links are refused when unset. */
  linkSecret: string | undefined;
  /** TELEGRAM_BOT_TOKEN; Mini App access is refused when unset. */
  botToken: string | undefined;
  /** Oldest initData accepted, in seconds (default 1 h). */
  initDataMaxAgeS?: number;
  /** Clock in ms; tests pin it. */
  now?: () => number;
}

/** A request allowed to see and edit one photo. */
export interface EditorAccess {
  photo: Photo;
  userId: number;
  lang: Lang;
  via: 'link' | 'telegram';
}

export type AccessResult =
  | { ok: true; access: EditorAccess }
  | { ok: false; status: 403 | 404; code: DenialCode; lang: Lang };

/** Header a Mini App page sends its initData in. */
export const INIT_DATA_HEADER = 'x-telegram-init-data';

/** `lang=en|zh` from the query, if given. */
export function queryLang(url: URL): Lang | undefined {
  const v = url.searchParams.get('lang');
  return v === 'en' || v === 'zh' ? v : undefined;
}

/** The initData a request carries, from our header or `Authorization: tma <initData>`. */
export function initDataOf(req: IncomingMessage): string | undefined {
  const h = req.headers[INIT_DATA_HEADER];
  if (typeof h === 'string' && h.length > 0) return h;
  const auth = req.headers.authorization;
  return auth?.startsWith('tma ') ? auth.slice(4) : undefined;
}

/** A photo id from `?photo=` or a Mini App start parameter (`123`, `p123`, `photo_123`). */
export function photoIdFrom(text: string | null | undefined): number | undefined {
  const m = text ? /^(?:p|photo[_-]?)?(\d{1,12})$/.exec(text) : null;
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Decides whether a request may edit a photo. Never throws on bad credentials. */
export function resolveAccess(req: IncomingMessage, url: URL, deps: AccessDeps): AccessResult {
  const now = deps.now?.() ?? Date.now();
  const asked = queryLang(url);
  const deny = (code: DenialCode, status: 403 | 404 = 403): AccessResult => ({ ok: false, status, code, lang: asked ?? 'zh' });
  const queryPhoto = url.searchParams.get('photo');
  const token = url.searchParams.get('t');

  let userId: number;
  let photoId: number | undefined;
  let stationNo: string | undefined;
  let via: EditorAccess['via'];
  if (token) {
    if (!deps.linkSecret) return deny('disabled');
    const check = verifyEditorLink(token, {
      secret: deps.linkSecret,
      now,
      photoId: queryPhoto === null ? undefined : (photoIdFrom(queryPhoto) ?? -1),
    });
    if (!check.ok) return deny(check.reason);
    ({ userId, photoId, stationNo } = check.claims);
    via = 'link';
  } else {
    const initData = initDataOf(req);
    if (!initData) return deny('no-credentials');
    if (!deps.botToken) return deny('tg-disabled');
    const check = validateInitData(initData, {
      botToken: deps.botToken,
      now,
      maxAgeS: deps.initDataMaxAgeS ?? DEFAULT_INIT_DATA_MAX_AGE_S,
    });
    if (!check.ok) return deny(check.reason);
    userId = check.value.userId;
    photoId = photoIdFrom(queryPhoto) ?? photoIdFrom(check.value.startParam);
    via = 'telegram';
  }

  // The binding is checked now, not only when the link was signed: an unbound user loses access.
  const user = deps.store.users.get(userId);
  if (!user?.stationNo || (stationNo !== undefined && user.stationNo !== stationNo)) return deny('not-bound');
  if (photoId === undefined) return deny('no-photo', 404);
  // Another station's photo answers like a missing binding, so its id reveals nothing.
  const photo = deps.store.photos.getForStation(user.stationNo, photoId);
  if (!photo) return deny(via === 'link' ? 'no-photo' : 'not-bound', via === 'link' ? 404 : 403);
  return { ok: true, access: { photo, userId, lang: asked ?? user.lang, via } };
}
