// @ts-check
// Chat page, part 2 of 2: the user profile, sending (text, buttons, files, albums,
// drag & drop) and the long poll that keeps the page live. See chat-render.js.
const PROFILE_KEY = 'tgEmulator.profile';

// ---- profile ---------------------------------------------------------------
function randomProfile() {
  return { id: 100000 + Math.floor(Math.random() * 900000000), name: 'Guest', username: '', lang: 'zh-hans' };
}
function loadProfile() {
  try {
    const p = JSON.parse(localStorage.getItem(PROFILE_KEY) || 'null');
    if (p && Number.isSafeInteger(p.id) && p.id > 0 && typeof p.name === 'string') return p;
  } catch (_) { /* a broken entry is replaced below */ }
  const p = randomProfile();
  localStorage.setItem(PROFILE_KEY, JSON.stringify(p));
  return p;
}
let profile = loadProfile();
const userFields = () => ({ id: profile.id, name: profile.name, username: profile.username || '', lang: profile.lang || '' });

function showProfile() {
  $('profileLabel').textContent = `${profile.name} · ${profile.id}`;
  $('pId', HTMLInputElement).value = String(profile.id);
  $('pName', HTMLInputElement).value = profile.name;
  $('pUsername', HTMLInputElement).value = profile.username || '';
  $('pLang', HTMLSelectElement).value = profile.lang || 'zh-hans';
}
$('profileBtn').addEventListener('click', () => { $('profilePanel').hidden = !$('profilePanel').hidden; });
$('pRandom').addEventListener('click', () => { const p = randomProfile(); $('pId', HTMLInputElement).value = String(p.id); $('pName', HTMLInputElement).value = p.name; });
$('profilePanel').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const id = Number($('pId', HTMLInputElement).value);
  if (!Number.isSafeInteger(id) || id <= 0) return;
  profile = { id, name: $('pName', HTMLInputElement).value.trim() || 'Guest', username: $('pUsername', HTMLInputElement).value.trim(), lang: $('pLang', HTMLSelectElement).value };
  localStorage.setItem(PROFILE_KEY, JSON.stringify(profile));
  $('profilePanel').hidden = true;
  showProfile();
  restart();
});

// ---- server calls ------------------------------------------------------------
async function post(path, body) {
  const res = await fetch(`/chat/api/${path}`, body instanceof FormData
    ? { method: 'POST', body }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({ ok: false, error: res.statusText }));
  if (!res.ok || !data.ok) throw new Error(data.error || res.statusText);
  return data;
}
// Files are served to this browser's session only (the cookie), always as attachments.
const fileUrl = (fileId) => `/chat/api/file/${encodeURIComponent(fileId)}`;

let commands = [];
$('menuBtn').addEventListener('click', () => {
  const box = $('commands');
  box.replaceChildren();
  box.hidden = !box.hidden || commands.length === 0;
  for (const c of commands) {
    const btn = el('button');
    btn.type = 'button';
    btn.append(el('b', '', `/${c.command}`), c.description);
    btn.addEventListener('click', () => { box.hidden = true; sendText(`/${c.command}`); });
    box.append(btn);
  }
});

// ---- toasts: the bot's answer to a press made on this page ---------------------------
let latestAnswer = null;
const shown = new Set();
let toastTimer;
function maybeToast() {
  const a = latestAnswer;
  if (!a || shown.has(a.callbackQueryId) || !pressing.has(a.callbackQueryId)) return;
  shown.add(a.callbackQueryId);
  for (const b of document.querySelectorAll('.kb button.busy')) b.classList.remove('busy');
  if (!a.text) return;
  if (a.showAlert) { $('alertText').textContent = a.text; $('alert').hidden = false; return; }
  $('toast').textContent = a.text;
  $('toast').hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $('toast').hidden = true; }, 2500);
}
function showAnswer(answer) { latestAnswer = answer; maybeToast(); }
$('alertOk').addEventListener('click', () => { $('alert').hidden = true; });

// ---- sending ----------------------------------------------------------------------
let files = [];
let asDocument = false;
function setStatus(text) { $('status').textContent = text; }
function flash(err) { $('toast').textContent = `⚠ ${err.message || err}`; $('toast').hidden = false; setTimeout(() => { $('toast').hidden = true; }, 3500); }

async function sendText(text) {
  pendingScroll = true;
  try { await post('send', { text }); } catch (err) { flash(err); }
}
async function press(messageId, data, btn) {
  btn.classList.add('busy');
  setTimeout(() => btn.classList.remove('busy'), 5000);
  try {
    const r = await post('press', { messageId, data });
    pressing.add(r.callbackQueryId);
    maybeToast();
  } catch (err) { btn.classList.remove('busy'); flash(err); }
}

function renderTray() {
  $('tray').hidden = files.length === 0;
  const list = $('trayFiles');
  list.replaceChildren();
  files.forEach((f, i) => {
    const chip = el('div', 'chip');
    if (f.type.startsWith('image/')) { const img = el('img'); img.src = URL.createObjectURL(f); img.alt = ''; chip.append(img); }
    chip.append(el('span', '', f.name));
    const x = el('button', 'ghost', '×');
    x.type = 'button';
    x.title = 'Remove · 移除';
    x.addEventListener('click', () => { files.splice(i, 1); renderTray(); });
    chip.append(x);
    list.append(chip);
  });
  $('asPhoto').setAttribute('aria-pressed', String(!asDocument));
  $('asFile').setAttribute('aria-pressed', String(asDocument));
}
function addFiles(list) {
  files = files.concat([...list]).slice(0, 10);
  asDocument = !files.every((f) => /^image\/(jpeg|png|webp|gif)$/.test(f.type));
  renderTray();
}
$('attachBtn').addEventListener('click', () => $('fileInput', HTMLInputElement).click());
$('fileInput', HTMLInputElement).addEventListener('change', () => { const input = $('fileInput', HTMLInputElement); addFiles(input.files ?? []); input.value = ''; });
$('asPhoto').addEventListener('click', () => { asDocument = false; renderTray(); });
$('asFile').addEventListener('click', () => { asDocument = true; renderTray(); });
$('trayClear').addEventListener('click', () => { files = []; renderTray(); });

async function sendFiles(caption) {
  const form = new FormData();
  form.append('as', asDocument ? 'document' : 'photo');
  if (caption) form.append('caption', caption);
  files.forEach((f, i) => form.append(`file${i}`, f, f.name));
  $('sendBtn', HTMLButtonElement).disabled = true;
  try { await post('upload', form); files = []; renderTray(); pendingScroll = true; } catch (err) { flash(err); } finally { $('sendBtn', HTMLButtonElement).disabled = false; }
}

$('composer', HTMLFormElement).addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = $('text', HTMLTextAreaElement).value;
  if (files.length > 0) await sendFiles(text.trim());
  else if (text.trim()) await sendText(text);
  else return;
  $('text', HTMLTextAreaElement).value = '';
  autosize();
});
function autosize() { const t = $('text', HTMLTextAreaElement); t.style.height = 'auto'; t.style.height = `${Math.min(t.scrollHeight, 140)}px`; }
$('text', HTMLTextAreaElement).addEventListener('input', autosize);
$('text', HTMLTextAreaElement).addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $('composer', HTMLFormElement).requestSubmit(); }
});
$('text', HTMLTextAreaElement).addEventListener('paste', (ev) => {
  const pasted = [...(ev.clipboardData?.files || [])];
  if (pasted.length) { ev.preventDefault(); addFiles(pasted); }
});

let dragDepth = 0;
window.addEventListener('dragenter', (ev) => { ev.preventDefault(); dragDepth += 1; $('drop').hidden = false; });
window.addEventListener('dragleave', () => { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) $('drop').hidden = true; });
window.addEventListener('dragover', (ev) => ev.preventDefault());
window.addEventListener('drop', (ev) => {
  ev.preventDefault();
  dragDepth = 0;
  $('drop').hidden = true;
  if (ev.dataTransfer?.files?.length) addFiles(ev.dataTransfer.files);
});

// ---- live updates: long poll ----------------------------------------------------------
let version = -1;
let generation = 0;
async function poll(gen) {
  // The session (cookie) opens this profile's chat first; every later call acts for it.
  while (gen === generation) {
    try {
      await post('session', { user: userFields() });
      break;
    } catch (err) {
      setStatus(`${err.message || err} · 无法打开聊天`);
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
  while (gen === generation) {
    try {
      const q = new URLSearchParams({ since: String(version) });
      const res = await fetch(`/chat/api/updates?${q}`);
      // The emulator restarted and forgot which chat this session had open: open it again.
      if (res.status === 401) { await post('session', { user: userFields() }); continue; }
      if (!res.ok) throw new Error(res.statusText);
      const data = await res.json();
      if (gen !== generation) return;
      setStatus(`@${data.bot.username} · local emulator · 本地模拟`);
      $('botName').textContent = data.bot.first_name;
      $('botAvatar').textContent = (data.bot.first_name || 'B').slice(0, 1).toUpperCase();
      commands = data.commands || [];
      if (data.version !== version) {
        version = data.version;
        renderMessages(data.messages);
        renderReplyKeyboard(data.replyKeyboard);
        showAnswer(data.answer);
      }
    } catch (_) {
      setStatus('offline, retrying… · 离线，重试中');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
function restart() {
  generation += 1;
  version = -1;
  latestAnswer = null;
  pressing = new Set();
  rendered.clear();
  pendingScroll = true;
  poll(generation);
}
showProfile();
renderTray();
restart();
