// The drawing surface: an SVG whose viewBox is the image in pixels, so the browser
// scales photo and boxes together. Pointer events (mouse, pen and touch alike) move,
// resize and draw boxes on a BoxModel.
import { HANDLES, boxFromPoints, handlePoint, hitTest, moveBox, resizeBox } from './editor-model.js';

const NS = 'http://www.w3.org/2000/svg';
/** Pixels a pointer must travel before a press becomes a drag (a tap only selects). */
const DRAG_START_PX = 4;
/** Smallest new box, in screen pixels: anything smaller was a tap, not a drawing. */
const MIN_DRAWN_PX = 8;

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/**
 * Binds `svg` to `model`. `opts`: imageUrl, drawClass() → class id for new boxes,
 * colorOf(id), labelOf(id). Returns { render } (the app calls it after resizes).
 */
export function createCanvas(svg, model, opts) {
  const { width, height } = model;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  svg.replaceChildren();
  el('image', { href: opts.imageUrl, x: 0, y: 0, width, height, class: 'photo' }, svg);
  const layer = el('g', { class: 'boxes' }, svg);
  let drag = null;
  let draft = null;

  /** Screen pixels per image pixel. */
  const scale = () => svg.getScreenCTM()?.a || 1;
  const coarse = () => window.matchMedia('(pointer: coarse)').matches;
  const toImage = (e) => new DOMPoint(e.clientX, e.clientY).matrixTransform(svg.getScreenCTM().inverse());

  function drawBox(b, i, isSelected) {
    const s = scale();
    const color = opts.colorOf(b.classId);
    const g = el('g', { class: isSelected ? 'box selected' : 'box', 'data-box': i }, layer);
    el('rect', {
      class: 'body', x: b.x1, y: b.y1, width: b.x2 - b.x1, height: b.y2 - b.y1,
      stroke: color, fill: color, 'vector-effect': 'non-scaling-stroke',
    }, g);
    const font = 13 / s;
    const label = el('g', { class: 'label' }, g);
    const text = el('text', { x: b.x1 + 4 / s, y: 0, 'font-size': font }, null);
    text.textContent = opts.labelOf(b.classId);
    const ly = b.y1 >= font * 1.6 ? b.y1 - font * 0.4 : b.y1 + font * 1.2;
    text.setAttribute('y', ly);
    const bg = el('rect', { x: b.x1, y: ly - font * 1.1, height: font * 1.5, width: 0, fill: color, rx: 2 / s }, label);
    label.appendChild(text);
    bg.setAttribute('width', text.getComputedTextLength() + 8 / s);
    if (!isSelected) return;
    const hs = (coarse() ? 14 : 9) / s;
    for (const h of HANDLES) {
      const p = handlePoint(b, h);
      el('rect', {
        class: `handle h-${h}`, 'data-handle': h, x: p.x - hs / 2, y: p.y - hs / 2, width: hs, height: hs,
        stroke: color, 'vector-effect': 'non-scaling-stroke',
      }, g);
    }
  }

  function render() {
    layer.replaceChildren();
    // Big boxes first, so a small box inside a big one is drawn (and hit) on top.
    const order = model.boxes.map((b, i) => i).sort((a, c) => area(model.boxes[c]) - area(model.boxes[a]));
    for (const i of order) if (i !== model.selected) drawBox(model.boxes[i], i, false);
    if (model.boxes[model.selected]) drawBox(model.boxes[model.selected], model.selected, true);
    if (draft) {
      el('rect', {
        class: 'draft', x: draft.x1, y: draft.y1, width: draft.x2 - draft.x1, height: draft.y2 - draft.y1,
        stroke: opts.colorOf(draft.classId), 'vector-effect': 'non-scaling-stroke',
      }, layer);
    }
  }

  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || drag) return;
    const p = toImage(e);
    const tol = (coarse() ? 22 : 10) / scale();
    const hit = hitTest(model.boxes, model.selected, p.x, p.y, tol);
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
    const base = { id: e.pointerId, sx: e.clientX, sy: e.clientY, start: p, active: false };
    if (!hit) {
      drag = { ...base, mode: 'draw' };
      model.select(-1);
    } else {
      drag = { ...base, mode: hit.part === 'body' ? 'move' : 'resize', handle: hit.part, index: hit.index, orig: { ...model.boxes[hit.index] } };
      model.select(hit.index);
    }
  });

  svg.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    if (!drag.active) {
      if (Math.hypot(e.clientX - drag.sx, e.clientY - drag.sy) < DRAG_START_PX) return;
      drag.active = true;
      if (drag.mode !== 'draw') model.checkpoint();
    }
    const p = toImage(e);
    if (drag.mode === 'draw') {
      draft = boxFromPoints(opts.drawClass(), drag.start, p, width, height);
      render();
    } else if (drag.mode === 'move') {
      model.replace(drag.index, moveBox(drag.orig, p.x - drag.start.x, p.y - drag.start.y, width, height));
    } else {
      model.replace(drag.index, resizeBox(drag.orig, drag.handle, p.x, p.y, width, height));
    }
  });

  const finish = (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const wasDraw = drag.mode === 'draw' && drag.active && draft;
    const s = scale();
    const box = draft;
    drag = null;
    draft = null;
    if (wasDraw && e.type === 'pointerup' && (box.x2 - box.x1) * s >= MIN_DRAWN_PX && (box.y2 - box.y1) * s >= MIN_DRAWN_PX) {
      model.add(box);
    } else {
      render();
    }
  };
  svg.addEventListener('pointerup', finish);
  svg.addEventListener('pointercancel', finish);

  model.onChange(render);
  render();
  return { render };
}

const area = (b) => (b.x2 - b.x1) * (b.y2 - b.y1);
