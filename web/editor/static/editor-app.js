// @ts-check
// The editor page: finds its credentials (signed link or Telegram Mini App initData),
// loads the photo and boxes, hands them to Annotorious, wires the class bar, buttons
// and keys, and saves.
import { createAnnotator } from './editor-annotator.js';
import { initialDrawClass } from './editor-boxes.js';
import { errorMessage, tr } from './editor-i18n.js';

/**
 * The element with this id, checked to be of `type` when given (e.g. `$('save', HTMLButtonElement)`).
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T }} [type]
 * @returns {T}
 */
const $ = (id, type) => {
  const found = document.getElementById(id);
  if (!found || (type && !(found instanceof type))) throw new Error(`#${id} is missing from the page`);
  return /** @type {T} */ (found);
};
const query = new URLSearchParams(location.search);
const hash = new URLSearchParams(location.hash.slice(1));
const token = query.get('t');
// Telegram passes initData in the fragment; telegram-web-app.js is not loaded (offline).
const initData = hash.get('tgWebAppData') || window.Telegram?.WebApp?.initData || '';
const photoParam = query.get('photo') || hash.get('photo');
const langParam = query.get('lang') || hash.get('lang');
let lang = document.body.dataset.lang === 'en' ? 'en' : 'zh';

/** Sends a Mini App event to the Telegram client (what telegram-web-app.js would do). */
function tgPost(eventType, eventData = {}) {
  if (!initData) return;
  try {
    if (window.TelegramWebviewProxy?.postEvent) window.TelegramWebviewProxy.postEvent(eventType, JSON.stringify(eventData));
    else if (window.external?.notify) window.external.notify(JSON.stringify({ eventType, eventData }));
    else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType, eventData }), '*');
  } catch {
    // Not inside a Telegram client: nothing to tell.
  }
}

function apiUrl(name) {
  const p = new URLSearchParams();
  if (token) p.set('t', token);
  if (photoParam) p.set('photo', photoParam);
  if (langParam) p.set('lang', langParam);
  return `editor/api/${name}?${p}`;
}

function api(name, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (!token && initData) headers['X-Telegram-Init-Data'] = initData;
  return fetch(apiUrl(name), { ...init, headers, cache: 'no-store' });
}

function setStatus(text, kind = '') {
  const s = $('status');
  s.textContent = text;
  s.className = kind;
}

async function readError(res) {
  try {
    return errorMessage(lang, await res.json()) || `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** The class buttons: pick the class of new boxes, or change the selected box's class. */
function classBar(data, state) {
  const nav = $('classes');
  const buttons = data.classes.map((c) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'cls';
    b.dataset.classId = String(c.id);
    b.style.setProperty('--c', c.color);
    const sw = document.createElement('span');
    sw.className = 'swatch';
    const name = document.createElement('span');
    name.textContent = lang === 'en' ? c.en : c.zh;
    b.append(sw, name);
    b.addEventListener('click', () => {
      state.drawClass = c.id;
      if (state.editor?.hasSelection()) state.editor.setSelectedClass(c.id);
      update();
    });
    nav.appendChild(b);
    return b;
  });
  const update = () => {
    const active = state.editor?.selectedClass() ?? state.drawClass;
    for (const b of buttons) b.setAttribute('aria-pressed', String(Number(b.dataset.classId) === active));
  };
  update();
  return update;
}

async function save(editor, state) {
  const btn = $('save', HTMLButtonElement);
  btn.disabled = true;
  setStatus(tr(lang, 'saving'));
  try {
    const boxes = editor.boxes();
    const res = await api('save', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ boxes }),
    });
    if (!res.ok) return setStatus(tr(lang, 'failed', { message: await readError(res) }), 'error');
    const body = await res.json();
    state.saved = JSON.stringify(boxes);
    setStatus(tr(lang, 'saved', { version: body.version }), 'ok');
  } catch {
    setStatus(tr(lang, 'failed', { message: tr(lang, 'network') }), 'error');
  } finally {
    btn.disabled = false;
  }
}

/**
 * Snap / 贴合: the server tightens the selected box to the object's edges (sides with
 * weak evidence stay); the page puts it in place as one undo step. Saving stays the
 * contestant's step.
 */
async function snapSelected(editor) {
  const box = editor.selectedBox();
  if (!box) return;
  const btn = $('snap', HTMLButtonElement);
  btn.disabled = true;
  setStatus(tr(lang, 'snapping'));
  try {
    const res = await api('snap', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ box }) });
    if (!res.ok) return setStatus(tr(lang, 'snapFailed', { message: await readError(res) }), 'error');
    const body = await res.json();
    if (!body.isChanged) return setStatus(tr(lang, 'snapNone'));
    editor.setSelectedBox(body.box);
    const moved = ['left', 'top', 'right', 'bottom']
      .filter((s) => Math.abs(body.sides?.[s]?.px ?? 0) >= 0.5)
      .map((s) => {
        const px = body.sides[s].px;
        return tr(lang, 'sideMoved', { side: tr(lang, `side_${s}`), px: `${px > 0 ? '−' : '+'}${Math.abs(px)}` });
      });
    setStatus(tr(lang, 'snapped', { sides: moved.join(lang === 'en' ? ', ' : '、') }), 'ok');
  } catch {
    setStatus(tr(lang, 'snapFailed', { message: tr(lang, 'network') }), 'error');
  } finally {
    btn.disabled = !editor.hasSelection();
  }
}

function wire(editor, data, state, updateBar) {
  const undo = $('undo', HTMLButtonElement);
  const del = $('delete', HTMLButtonElement);
  const saveBtn = $('save', HTMLButtonElement);
  const snap = $('snap', HTMLButtonElement);
  snap.textContent = tr(lang, 'snap');
  snap.title = tr(lang, 'snapTitle');
  snap.addEventListener('click', () => void snapSelected(editor));
  undo.textContent = tr(lang, 'undo');
  del.textContent = tr(lang, 'delete');
  saveBtn.textContent = tr(lang, 'save');
  saveBtn.disabled = false;
  const isDirty = () => JSON.stringify(editor.boxes()) !== state.saved;
  undo.addEventListener('click', () => editor.undo());
  del.addEventListener('click', () => editor.deleteSelected());
  saveBtn.addEventListener('click', () => void save(editor, state));
  editor.onChange(() => {
    updateBar();
    undo.disabled = !editor.canUndo();
    del.disabled = !editor.hasSelection();
    snap.disabled = !editor.hasSelection();
    const info = tr(lang, editor.hasSelection() ? 'hintSelected' : 'hint');
    setStatus(isDirty() ? `${tr(lang, 'unsaved')} · ${tr(lang, 'boxes', { n: editor.boxes().length })} · ${info}` : info);
  });
  // Annotorious itself undoes on Ctrl/⌘+Z; the editor adds delete, deselect and nudges.
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey) return;
    const step = e.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (e.key === 'Delete' || e.key === 'Backspace') editor.deleteSelected();
    else if (e.key === 'Escape') editor.deselect();
    else if (moves[e.key] && editor.hasSelection()) editor.nudge(...moves[e.key]);
    else if ((e.key === 's' || e.key === 'S') && editor.hasSelection()) void snapSelected(editor);
    else return;
    e.preventDefault();
  });
  window.addEventListener('beforeunload', (e) => {
    if (isDirty()) e.preventDefault();
  });
  $('title').textContent = tr(lang, 'title', { photo: data.photoId, station: data.stationNo });
  setStatus(tr(lang, 'hint'));
}

/** Sizes the photo to fit the stage (Annotorious scales its layer with the image). */
function fitPhoto(img, data) {
  const stage = $('stage');
  const fit = () => {
    const s = Math.min(stage.clientWidth / data.width, stage.clientHeight / data.height);
    img.style.width = `${Math.floor(data.width * s)}px`;
    img.style.height = `${Math.floor(data.height * s)}px`;
  };
  new ResizeObserver(fit).observe(stage);
  fit();
}

async function main() {
  setStatus(tr(lang, 'loading'));
  if (!token && !initData) return setStatus(tr(lang, 'noCredentials'), 'error');
  tgPost('web_app_ready');
  tgPost('web_app_expand');
  const res = await api('photo');
  if (!res.ok) return setStatus(tr(lang, 'loadFailed', { message: await readError(res) }), 'error');
  const data = await res.json();
  lang = data.lang === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  const imgRes = await api('image');
  if (!imgRes.ok) return setStatus(tr(lang, 'loadFailed', { message: await readError(imgRes) }), 'error');
  const img = $('photo', HTMLImageElement);
  img.src = URL.createObjectURL(await imgRes.blob());
  await img.decode();
  fitPhoto(img, data);
  const byId = new Map(data.classes.map((c) => [c.id, c]));
  const state = { drawClass: initialDrawClass(data.classes, data.comboClassIds, data.boxes), editor: undefined, saved: '' };
  const updateBar = classBar(data, state);
  const editor = createAnnotator(img, data, {
    drawClass: () => state.drawClass,
    colorOf: (id) => byId.get(id)?.color ?? '#ff3b30',
    labelOf: (id) => {
      const c = byId.get(id);
      return c ? (lang === 'en' ? c.en : c.zh) : `#${id}`;
    },
  });
  state.editor = editor;
  state.saved = JSON.stringify(editor.boxes());
  wire(editor, data, state, updateBar);
  updateBar();
  document.body.classList.add('ready');
}

main().catch((e) => {
  console.error(e);
  setStatus(tr(lang, 'loadFailed', { message: tr(lang, 'network') }), 'error');
});
