// The visual page: key from the link's fragment or a form, model info, one detect
// request per image at a low threshold, and a slider that only redraws.
import { t } from './invoke-i18n.js';
import { drawDetections, visible } from './invoke-draw.js';

const body = document.body;
const station = body.dataset.station || '';
/** @type {'zh'|'en'} */
const lang = body.dataset.lang === 'en' ? 'en' : 'zh';
const KEY_ITEM = `tc-invoke-key:${station}`;
/** The one request threshold; the slider filters what came back. */
const REQUEST_THRESHOLD = 0.05;
/** Longest canvas side, px: enough for a phone's screen at 3× and cheap to redraw. */
const MAX_CANVAS_SIDE = 2048;
const api = (path) => `../api/v1/stations/${encodeURIComponent(station)}/${path}`;
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {Map<number, string>} */
let colors = new Map();
/** @type {{ bitmap: ImageBitmap, dets: any[], scale: number, answer: any, roundTripMs: number } | null} */
let current = null;
let busy = 0;

for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(/** @type {HTMLElement} */ (el).dataset.t || '', lang);

function takeKeyFromFragment() {
  const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(KEY_ITEM, decodeURIComponent(m[1]));
  // The key leaves the address bar (and history) as soon as it is stored.
  history.replaceState(null, '', location.pathname + location.search);
}

const key = () => sessionStorage.getItem(KEY_ITEM) || '';
/**
 * Opened as a Telegram Mini App, the page holds Telegram's signed initData (in the
 * fragment as tgWebAppData; telegram-web-app.js is not loaded, the hall is offline) and
 * calls the API with it instead of a key: the server checks the signature and that the
 * user is bound to this station.
 */
const initData =
  new URLSearchParams(location.hash.slice(1)).get('tgWebAppData') || /** @type {any} */ (window).Telegram?.WebApp?.initData || '';
/** @returns {Record<string, string>} */
const authHeaders = () => (key() ? { authorization: `Bearer ${key()}` } : initData ? { 'x-telegram-init-data': initData } : {});
const hasCredential = () => Boolean(key() || initData);
if (initData) body.dataset.auth = 'telegram';

function showError(text) {
  $('error').textContent = text;
}

/** The server's message in the page's language first. */
function messageOf(json) {
  const m = json && json.message;
  return m ? (lang === 'en' ? `${m.en} ${m.zh}` : `${m.zh} ${m.en}`) : t('failed', lang);
}

function askForKey(isWrong) {
  $('key-form').hidden = false;
  $('key-error').textContent = isWrong ? t('keyBad', lang) : '';
  /** @type {HTMLInputElement} */ ($('key-input')).focus();
}

const fmt = (v) => (typeof v === 'number' ? v.toFixed(3) : '—');

function cell(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

function renderModel(info) {
  colors = new Map(info.classes.map((c) => [c.id, c.color]));
  const box = $('model');
  box.replaceChildren();
  const h = cell('h2', `${t('deployed', lang)}: ${info.run}`);
  const when = cell('p', `${t('deployedAt', lang)}: ${new Date(info.deployedAt).toLocaleString()}`);
  box.append(h, when);
  const m = info.metrics;
  if (!m) {
    box.append(cell('p', t('noMetrics', lang)));
    return;
  }
  box.append(cell('p', `mAP@0.5 ${fmt(m.map50)} · mAP@0.5:0.95 ${fmt(m.map50_95)} · P ${fmt(m.precision)} · R ${fmt(m.recall)}`));
  if (m.perClass.length) {
    const table = document.createElement('table');
    table.id = 'per-class';
    const head = document.createElement('tr');
    head.append(cell('th', t('cls', lang)), cell('th', 'AP@0.5'), cell('th', 'AP@0.5:0.95'), cell('th', 'P'), cell('th', 'R'));
    table.append(head);
    for (const c of m.perClass) {
      const tr = document.createElement('tr');
      tr.append(cell('td', lang === 'en' ? `${c.en} · ${c.zh}` : `${c.zh} · ${c.en}`), cell('td', fmt(c.ap50)), cell('td', fmt(c.ap50_95)), cell('td', fmt(c.precision)), cell('td', fmt(c.recall)));
      table.append(tr);
    }
    const scroll = document.createElement('div');
    scroll.className = 'scroll';
    scroll.append(table);
    box.append(scroll);
  }
}

/** A refused credential: a wrong key asks again; refused initData says why and offers the key form. */
function refused(json) {
  if (key()) {
    sessionStorage.removeItem(KEY_ITEM);
    return askForKey(true);
  }
  showError(messageOf(json));
  askForKey(false);
}

async function loadModel() {
  if (!hasCredential()) return askForKey(false);
  const res = await fetch(api('model'), { headers: authHeaders() });
  const json = await res.json().catch(() => null);
  if (res.status === 401 || res.status === 403) return refused(json);
  $('key-form').hidden = true;
  if (!res.ok) {
    $('model').textContent = json && json.error === 'no-deployed-model' ? t('noModel', lang) : messageOf(json);
    return;
  }
  renderModel(json);
}

function threshold() {
  return Number(/** @type {HTMLInputElement} */ ($('threshold')).value);
}

function redraw() {
  if (!current) return;
  const th = threshold();
  $('threshold-value').textContent = th.toFixed(2);
  const shown = visible(current.dets, th);
  const canvas = /** @type {HTMLCanvasElement} */ ($('canvas'));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  drawDetections(ctx, current.bitmap, shown, current.scale, (id) => colors.get(id) || '#ff3b30', lang);
  canvas.dataset.boxes = String(shown.length);
  const a = current.answer;
  $('stats').textContent =
    `${t('latency', lang)}: ${t('roundTrip', lang)} ${Math.round(current.roundTripMs)} ms · ${t('server', lang)} ${Math.round(a.totalMs)} ms · ` +
    `${t('inference', lang)} ${Math.round(a.inferenceMs)} ms · ${a.image.width}×${a.image.height} · ${t('shown', lang)} ${shown.length}/${current.dets.length}`;
  const tbody = /** @type {HTMLTableElement} */ ($('detections')).tBodies[0];
  const thead = /** @type {HTMLTableElement} */ ($('detections')).tHead;
  if (thead && !thead.rows.length) {
    const tr = thead.insertRow();
    tr.append(cell('th', '#'), cell('th', t('cls', lang)), cell('th', t('score', lang)), cell('th', t('box', lang)));
  }
  tbody.replaceChildren(
    ...shown.map((d, i) => {
      const tr = document.createElement('tr');
      const sw = cell('span', '■');
      sw.style.color = colors.get(d.classId) || '#ff3b30';
      const name = cell('td', lang === 'en' ? ` ${d.en} · ${d.zh}` : ` ${d.zh} · ${d.en}`);
      name.prepend(sw);
      const b = d.box;
      tr.append(cell('td', String(i + 1)), name, cell('td', d.score.toFixed(2)), cell('td', `${Math.round(b.x1)},${Math.round(b.y1)} – ${Math.round(b.x2)},${Math.round(b.y2)}`));
      return tr;
    }),
  );
}

/** @param {File | Blob} file */
async function detect(file) {
  if (!hasCredential()) return askForKey(false);
  const mine = ++busy;
  showError('');
  $('stats').textContent = t('working', lang);
  const type = ['image/jpeg', 'image/png', 'image/webp'].includes(file.type) ? file.type : 'application/octet-stream';
  const t0 = performance.now();
  let res;
  try {
    res = await fetch(api(`detect?threshold=${REQUEST_THRESHOLD}&max=300`), { method: 'POST', headers: { ...authHeaders(), 'content-type': type }, body: file });
  } catch {
    return showError(t('failed', lang));
  }
  const json = await res.json().catch(() => null);
  const roundTripMs = performance.now() - t0;
  if (mine !== busy) return;
  if (res.status === 401 || res.status === 403) refused(json);
  if (!res.ok) {
    $('stats').textContent = '';
    return showError(messageOf(json));
  }
  // The browser applies EXIF orientation, as the API does: boxes and pixels agree.
  const bitmap = await createImageBitmap(file);
  const fit = Math.min(1, MAX_CANVAS_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = /** @type {HTMLCanvasElement} */ ($('canvas'));
  canvas.width = Math.round(bitmap.width * fit);
  canvas.height = Math.round(bitmap.height * fit);
  current?.bitmap.close();
  current = { bitmap, dets: json.detections, scale: canvas.width / json.image.width, answer: json, roundTripMs };
  $('result').hidden = false;
  redraw();
  body.dataset.state = 'done';
}

/** @param {FileList | null | undefined} files */
function first(files) {
  const f = files && files[0];
  if (f) void detect(f);
}

for (const id of ['pick', 'camera']) {
  const input = /** @type {HTMLInputElement} */ ($(id));
  input.addEventListener('change', () => {
    first(input.files);
    input.value = '';
  });
}
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  first(e.dataTransfer && e.dataTransfer.files);
});
document.addEventListener('paste', (e) => first(e.clipboardData && e.clipboardData.files));
$('threshold').addEventListener('input', redraw);
$('key').addEventListener('submit', (e) => {
  e.preventDefault();
  const v = /** @type {HTMLInputElement} */ ($('key-input')).value.trim();
  if (!v) return;
  sessionStorage.setItem(KEY_ITEM, v);
  showError('');
  void loadModel();
});

takeKeyFromFragment();
void loadModel().finally(() => (body.dataset.ready = '1'));
