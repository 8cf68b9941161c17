import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { escapeHtml, type Lang } from '../../core/index.js';

/**
 * The visual page (the exam's "visualisation container"): a server-rendered shell that
 * `static/invoke-app.js` fills. It calls the public API with the station's key like
 * any client; the key comes from the link's fragment (`#key=…`, never sent to the
 * server or in a Referer) or a form field, and is kept in sessionStorage.
 */

/** Only our own files; camera and pasted images stay in the page (blob: URLs). */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const TEXT = {
  title: { zh: '模型调用', en: 'Model invocation' },
  unknown: { zh: '没有这个工位号，请检查链接。', en: 'There is no such station; check the link.' },
} as const;

/** Sends the page for `stationNo` (a not-found page when undefined). */
export function invokePage(res: ServerResponse, stationNo: string | undefined, lang: Lang): void {
  const head =
    `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${TEXT.title.zh} · ${TEXT.title.en}${stationNo ? ` · ${escapeHtml(stationNo)}` : ''}</title>` +
    '<link rel="icon" href="data:,"><link rel="stylesheet" href="static/invoke.css"></head>';
  let body: string;
  let status = 200;
  if (!stationNo) {
    status = 404;
    body = `<body><main class="notice"><p>${TEXT.unknown.zh}</p><p>${TEXT.unknown.en}</p></main></body></html>`;
  } else {
    body =
      `<body data-station="${escapeHtml(stationNo)}" data-lang="${lang}">` +
      `<header><h1>${TEXT.title.zh} <small>${TEXT.title.en}</small> · <span id="station">${escapeHtml(stationNo)}</span></h1></header>` +
      '<section id="key-form" hidden><form id="key"><label for="key-input" data-t="keyLabel"></label>' +
      '<input id="key-input" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="tc_…">' +
      '<button type="submit" data-t="keySave"></button></form><p id="key-error" class="error" role="alert"></p></section>' +
      '<section id="model" aria-live="polite"></section>' +
      '<section id="input"><div id="drop" tabindex="0"><p data-t="dropHint"></p>' +
      '<div class="buttons"><label class="button" for="pick" data-t="pick"></label>' +
      '<label class="button" for="camera" data-t="camera"></label></div>' +
      '<input id="pick" type="file" accept="image/*" hidden>' +
      '<input id="camera" type="file" accept="image/*" capture="environment" hidden></div></section>' +
      '<section id="result" hidden><div id="controls"><label for="threshold" data-t="threshold"></label>' +
      '<input id="threshold" type="range" min="0.05" max="1" step="0.05" value="0.3"><output id="threshold-value">0.30</output></div>' +
      '<p id="stats" role="status"></p><div id="stage"><canvas id="canvas"></canvas></div>' +
      '<div class="scroll"><table id="detections"><thead></thead><tbody></tbody></table></div></section>' +
      '<p id="error" class="error" role="alert"></p>' +
      '<script type="module" src="static/invoke-app.js"></script></body></html>';
  }
  const html = head + body;
  res.writeHead(status, { ...PAGE_HEADERS, 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

const FILES: Readonly<Record<string, string>> = {
  'invoke-app.js': 'text/javascript; charset=utf-8',
  'invoke-draw.js': 'text/javascript; charset=utf-8',
  'invoke-i18n.js': 'text/javascript; charset=utf-8',
  'invoke.css': 'text/css; charset=utf-8',
};
const cache = new Map<string, Buffer>();

/** Serves one of the page's files by exact name (a fixed list: no path reaches the disk). */
export async function serveInvokeStatic(res: ServerResponse, name: string): Promise<boolean> {
  const type = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!type) return false;
  let body = cache.get(name);
  if (!body) {
    body = await readFile(new URL(`./static/${name}`, import.meta.url));
    cache.set(name, body);
  }
  res.writeHead(200, { ...PAGE_HEADERS, 'cache-control': 'no-cache', 'content-type': type, 'content-length': body.length });
  res.end(body);
  return true;
}
