import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, t, verifyProctorLink, type Lang } from '../../core/index.js';
import { overviewCells, stationOverview } from '../../store/index.js';
import { initDataOf, queryLang } from '../editor/access.js';
import { DEFAULT_INIT_DATA_MAX_AGE_S, validateInitData } from '../editor/init-data.js';
import type { Route, WebDeps } from '../server.js';

/**
 * The proctor's projector page (issue 16 point 1): the `/stations` table as a web page that
 * refreshes itself, and the same rows as JSON. Two ways in: the signed link `/stations` sends
 * a proctor (`?t=`), or a Telegram Mini App's initData (header `X-Telegram-Init-Data` or
 * `Authorization: tma …`). Either way the user must be a proctor now, not only when the link
 * was made. A contestant's link or initData is refused: the page shows every station.
 */

export interface ProctorDeps extends WebDeps {
  /** LINK_SECRET; signed links are refused when unset. */
  linkSecret: string | undefined;
  /** Time left on a station's exam clock (ms); "—" while none is known. */
  timeLeft?: (stationNo: string) => number | undefined;
  now?: () => number;
}

/** Every path this module answers (the access test walks this list). */
export const PROCTOR_PATHS = ['/proctor', '/proctor/stations.json'] as const;

/** Seconds between the page's reloads. */
export const PROCTOR_REFRESH_S = 15;

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

type Who = { ok: true; userId: number; lang: Lang } | { ok: false; lang: Lang };

/** Who is asking, when they are a proctor. */
export function proctorAccess(req: IncomingMessage, url: URL, deps: ProctorDeps): Who {
  const now = deps.now?.() ?? Date.now();
  const asked = queryLang(url);
  let userId: number | undefined;
  const token = url.searchParams.get('t');
  if (token) {
    if (deps.linkSecret) {
      const check = verifyProctorLink(token, { secret: deps.linkSecret, now });
      if (check.ok) userId = check.userId;
    }
  } else {
    const initData = initDataOf(req);
    const botToken = deps.config.TELEGRAM_BOT_TOKEN;
    if (initData && botToken) {
      const check = validateInitData(initData, { botToken, now, maxAgeS: DEFAULT_INIT_DATA_MAX_AGE_S });
      if (check.ok) userId = check.value.userId;
    }
  }
  const user = userId === undefined ? undefined : deps.store.users.get(userId);
  const isProctor = userId !== undefined && (user?.role === 'proctor' || deps.config.PROCTOR_IDS.includes(userId));
  const lang = asked ?? user?.lang ?? 'zh';
  return isProctor && userId !== undefined ? { ok: true, userId, lang } : { ok: false, lang };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store', 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function rows(deps: ProctorDeps, lang: Lang): string[][] {
  return stationOverview(deps.store, deps.exam, deps.timeLeft ? { timeLeft: deps.timeLeft } : {}).map((r) => overviewCells(lang, r));
}

/** The page: a big, plain table for a projector, reloaded every PROCTOR_REFRESH_S seconds. */
export function proctorPage(lang: Lang, cells: string[][], now: number): string {
  const head = t(lang, 'stations.cols').split(' · ');
  const time = new Date(now).toISOString().slice(11, 19);
  const body = cells.length
    ? cells.map((c) => `<tr>${c.map((v, i) => `<td${i === 0 ? ' class="st"' : ''}>${escapeHtml(v)}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${head.length}">${escapeHtml(t(lang, 'stations.none'))}</td></tr>`;
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${PROCTOR_REFRESH_S}">
<title>${escapeHtml(t(lang, 'proctor.page.title'))} · ${cells.length}</title>
<style>
body{font:18px/1.35 system-ui,"Noto Sans CJK SC",sans-serif;margin:1.2em;background:#10151c;color:#e8edf3}
h1{font-size:1.6em;margin:0 0 .2em}p{color:#9fb0c3;margin:0 0 .8em}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.35em .6em;border-bottom:1px solid #2a3440;text-align:right;white-space:nowrap}
th{position:sticky;top:0;background:#1b2430;color:#cfe0f5}
td.st,th:first-child{text-align:left;font-weight:600}tr:nth-child(even) td{background:#141b24}
</style>
<h1>${escapeHtml(t(lang, 'proctor.page.title'))} · ${cells.length}</h1>
<p>${escapeHtml(t(lang, 'proctor.page.updated', { time: `${time} UTC`, s: PROCTOR_REFRESH_S }))}</p>
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></html>`;
}

export function proctorRoutes(deps: ProctorDeps): Route[] {
  return [
    (req, res, url) => {
      if (url.pathname !== PROCTOR_PATHS[0]) return false;
      if (req.method !== 'GET') return (send(res, 405, 'text/plain; charset=utf-8', 'GET only'), true);
      const who = proctorAccess(req, url, deps);
      if (!who.ok) return (send(res, 403, 'text/html; charset=utf-8', `<!doctype html><meta charset="utf-8"><p>${escapeHtml(t(who.lang, 'proctor.denied'))}</p>`), true);
      send(res, 200, 'text/html; charset=utf-8', proctorPage(who.lang, rows(deps, who.lang), deps.now?.() ?? Date.now()));
      return true;
    },
    (req, res, url) => {
      if (url.pathname !== PROCTOR_PATHS[1]) return false;
      if (req.method !== 'GET') return (send(res, 405, 'application/json', '{"error":"method"}'), true);
      const who = proctorAccess(req, url, deps);
      if (!who.ok) return (send(res, 403, 'application/json', JSON.stringify({ error: 'forbidden', message: t(who.lang, 'proctor.denied') })), true);
      const list = stationOverview(deps.store, deps.exam, deps.timeLeft ? { timeLeft: deps.timeLeft } : {});
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ stations: list }));
      return true;
    },
  ];
}
