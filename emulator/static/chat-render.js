// @ts-check
// Chat page, part 1 of 2: DOM helpers and rendering of messages, keyboards and
// Telegram HTML. Plain browser JS, no build step; chat-page.ts inlines both parts into
// one strict IIFE, so they share a scope. Bot text only ever reaches the page through
// text nodes or the renderer below, which creates nothing but <b>, <i>, <code>, <pre>
// and <a href="http(s)/tg/mailto">.
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
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

// ---- Telegram HTML, rendered safely ----------------------------------------------
const KEEP = { b: 'b', strong: 'b', i: 'i', em: 'i', code: 'code', pre: 'pre', a: 'a' };
// Valid Telegram tags without a safe equivalent here: drop the tag, keep its text.
const DROP = new Set(['u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'tg-emoji', 'blockquote']);
const decode = (s) => s.replace(/&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (m, e) => {
  const k = e.toLowerCase();
  if (k === 'lt') return '<';
  if (k === 'gt') return '>';
  if (k === 'amp') return '&';
  if (k === 'quot') return '"';
  const n = k[1] === 'x' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
});
function renderText(parent, text, parseMode) {
  if (String(parseMode || '').toLowerCase() !== 'html') { parent.append(text); return; }
  const stack = [parent];
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>/g;
  let last = 0;
  for (let m = tagRe.exec(text); m; m = tagRe.exec(text)) {
    const top = stack[stack.length - 1];
    top.append(decode(text.slice(last, m.index)));
    last = tagRe.lastIndex;
    const name = m[2].toLowerCase();
    if (DROP.has(name)) continue;
    const kept = KEEP[name];
    if (!kept) { top.append(m[0]); continue; }
    if (m[1]) {
      if (stack.length > 1 && stack[stack.length - 1].dataset.tag === name) stack.pop();
      continue;
    }
    const node = document.createElement(kept);
    node.dataset.tag = name;
    if (kept === 'a') {
      const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[3]);
      const url = href ? decode(href[1] ?? href[2] ?? href[3] ?? '') : '';
      if (/^(https?:|tg:|mailto:)/i.test(url)) { node.href = url; node.target = '_blank'; node.rel = 'noopener noreferrer'; }
    }
    top.append(node);
    stack.push(node);
  }
  stack[stack.length - 1].append(decode(text.slice(last)));
}

// ---- messages --------------------------------------------------------------------
const rendered = new Map(); // group key -> { sig, node }
let pressing = new Set();
const kb = (s) => (s < 1024 ? `${s} B` : s < 1048576 ? `${(s / 1024).toFixed(1)} KB` : `${(s / 1048576).toFixed(1)} MB`);

function groupMessages(messages) {
  const groups = [];
  for (const m of messages) {
    const prev = groups[groups.length - 1];
    if (prev && m.media_group_id && prev[0].media_group_id === m.media_group_id) prev.push(m);
    else groups.push([m]);
  }
  return groups;
}

function openUrl(url) { window.open(url, '_blank', 'noopener,noreferrer'); }

function keyboardNode(m) {
  const box = el('div', 'kb');
  for (const row of m.reply_markup.inline_keyboard) {
    const r = el('div', 'kbrow');
    for (const b of row) {
      const btn = el('button', '', b.text);
      btn.type = 'button';
      if (b.callback_data !== undefined) {
        btn.addEventListener('click', () => press(m.message_id, b.callback_data, btn));
      } else if (b.url || (b.web_app && b.web_app.url)) {
        const url = b.url || b.web_app.url;
        btn.append(el('span', 'hint', '↗'));
        btn.title = url;
        btn.addEventListener('click', () => openUrl(url));
      } else btn.disabled = true;
      r.append(btn);
    }
    box.append(r);
  }
  return box;
}

function groupNode(group) {
  const first = group[0];
  const node = el('div', `msg ${first.from.is_bot ? 'bot' : 'me'}`);
  node.dataset.id = String(first.message_id);
  if (first.reply_to_message) {
    const q = el('div', 'quote');
    renderText(q, (first.reply_to_message.text || first.reply_to_message.caption || '').slice(0, 120), first.reply_to_message.parse_mode);
    node.append(q);
  }
  const photos = group.filter((m) => m.photo && m.photo.length);
  if (photos.length) {
    const media = el('div', photos.length === 1 ? 'media single' : 'media');
    for (const m of photos) {
      const p = m.photo[m.photo.length - 1];
      const img = el('img');
      img.src = fileUrl(p.file_id);
      img.alt = m.caption || 'photo';
      // Reserve the box before the bytes arrive, so scrolling stays put.
      if (p.width > 0 && p.height > 0) { img.width = p.width; img.height = p.height; }
      img.addEventListener('load', keepAtBottom);
      img.addEventListener('click', () => openUrl(img.src));
      media.append(img);
    }
    node.append(media);
  }
  for (const m of group.filter((x) => x.document)) {
    const a = el('a', 'doc');
    a.href = fileUrl(m.document.file_id);
    a.download = m.document.file_name || 'file';
    const name = m.document.file_name || 'file';
    const ext = (/\.([a-z0-9]{1,4})$/i.exec(name) || [])[1] || 'file';
    a.append(el('span', 'docicon', ext.toUpperCase()), el('span', '', name), el('span', 'size', kb(m.document.file_size || 0)));
    node.append(a);
  }
  for (const m of group) {
    const body = m.text ?? m.caption;
    if (body) { const t = el('div', 'text'); renderText(t, body, m.parse_mode); node.append(t); }
  }
  const withKb = group.find((m) => m.reply_markup && m.reply_markup.inline_keyboard);
  if (withKb) node.append(keyboardNode(withKb));
  const last = group[group.length - 1];
  const time = new Date(last.date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  node.append(el('div', 'meta', `${group.some((m) => m.edit_date) ? 'edited · 已编辑 ' : ''}${time}`));
  return node;
}

// Follow new content while the reader is at the bottom (also when images load late).
let stickToBottom = true;
$('messages').addEventListener('scroll', () => {
  const box = $('messages');
  stickToBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
});
function keepAtBottom() { if (stickToBottom) { const box = $('messages'); box.scrollTop = box.scrollHeight; } }

function renderMessages(messages) {
  const box = $('messages');
  const atBottom = stickToBottom;
  const nodes = [];
  const seen = new Set();
  for (const group of groupMessages(messages)) {
    const key = String(group[0].message_id);
    const sig = JSON.stringify(group);
    seen.add(key);
    let entry = rendered.get(key);
    if (!entry || entry.sig !== sig) { entry = { sig, node: groupNode(group) }; rendered.set(key, entry); }
    nodes.push(entry.node);
  }
  for (const key of [...rendered.keys()]) if (!seen.has(key)) rendered.delete(key);
  if (nodes.length === 0) nodes.push(el('div', 'empty', 'Say hi, or send /start · 发送 /start 开始'));
  box.replaceChildren(...nodes);
  if (atBottom || pendingScroll) { box.scrollTop = box.scrollHeight; stickToBottom = true; }
  pendingScroll = false;
}
let pendingScroll = true;

function renderReplyKeyboard(markup) {
  const box = $('replyKeyboard');
  box.replaceChildren();
  box.hidden = !markup;
  if (!markup) return;
  for (const row of markup.keyboard) {
    const r = el('div', 'kbrow');
    for (const b of row) {
      const btn = el('button', '', b.text);
      btn.type = 'button';
      btn.addEventListener('click', () => sendText(b.text));
      r.append(btn);
    }
    box.append(r);
  }
}
