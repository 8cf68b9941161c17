// The editor page: finds its credentials (signed link or Telegram Mini App initData),
// loads the photo and boxes, wires the class bar, buttons and keys, and saves.
import { BoxModel } from './editor-model.js';
import { createCanvas } from './editor-canvas.js';
import { errorMessage, tr } from './editor-i18n.js';

const $ = (id) => document.getElementById(id);
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

function classBar(data, model) {
  const nav = $('classes');
  let drawClass = data.classes[0]?.id ?? 0;
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
      drawClass = c.id;
      if (model.selected >= 0) model.setClass(model.selected, c.id);
      else update();
    });
    nav.appendChild(b);
    return b;
  });
  const update = () => {
    const active = model.boxes[model.selected]?.classId ?? drawClass;
    for (const b of buttons) b.setAttribute('aria-pressed', String(Number(b.dataset.classId) === active));
  };
  model.onChange(update);
  update();
  return { drawClass: () => drawClass };
}

async function save(model) {
  const btn = $('save');
  btn.disabled = true;
  setStatus(tr(lang, 'saving'));
  try {
    const res = await api('save', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ boxes: model.toJSON() }),
    });
    if (!res.ok) return setStatus(tr(lang, 'failed', { message: await readError(res) }), 'error');
    const body = await res.json();
    model.markSaved();
    setStatus(tr(lang, 'saved', { version: body.version }), 'ok');
  } catch {
    setStatus(tr(lang, 'failed', { message: tr(lang, 'network') }), 'error');
  } finally {
    btn.disabled = false;
  }
}

function wire(model, data) {
  const undo = $('undo');
  const del = $('delete');
  const saveBtn = $('save');
  undo.textContent = tr(lang, 'undo');
  del.textContent = tr(lang, 'delete');
  saveBtn.textContent = tr(lang, 'save');
  saveBtn.disabled = false;
  undo.addEventListener('click', () => model.undo());
  del.addEventListener('click', () => model.removeSelected());
  saveBtn.addEventListener('click', () => void save(model));
  model.onChange(() => {
    undo.disabled = !model.canUndo;
    del.disabled = model.selected < 0;
    const info = tr(lang, model.selected >= 0 ? 'hintSelected' : 'hint');
    setStatus(model.isDirty ? `${tr(lang, 'unsaved')} · ${tr(lang, 'boxes', { n: model.boxes.length })} · ${info}` : info);
  });
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    const step = e.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') model.undo();
    else if (e.key === 'Delete' || e.key === 'Backspace') model.removeSelected();
    else if (e.key === 'Escape') model.select(-1);
    else if (moves[e.key] && model.selected >= 0) model.nudge(...moves[e.key]);
    else return;
    e.preventDefault();
  });
  window.addEventListener('beforeunload', (e) => {
    if (model.isDirty) e.preventDefault();
  });
  $('title').textContent = tr(lang, 'title', { photo: data.photoId, station: data.stationNo });
  setStatus(tr(lang, 'hint'));
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
  const img = await api('image');
  if (!img.ok) return setStatus(tr(lang, 'loadFailed', { message: await readError(img) }), 'error');
  const imageUrl = URL.createObjectURL(await img.blob());
  const model = new BoxModel(data.width, data.height, data.boxes);
  const byId = new Map(data.classes.map((c) => [c.id, c]));
  const bar = classBar(data, model);
  const canvas = createCanvas($('canvas'), model, {
    imageUrl,
    drawClass: bar.drawClass,
    colorOf: (id) => byId.get(id)?.color ?? '#ff3b30',
    labelOf: (id) => {
      const c = byId.get(id);
      return c ? (lang === 'en' ? c.en : c.zh) : `#${id}`;
    },
  });
  wire(model, data);
  new ResizeObserver(() => canvas.render()).observe($('stage'));
  document.body.classList.add('ready');
}

main().catch(() => setStatus(tr(lang, 'loadFailed', { message: tr(lang, 'network') }), 'error'));
