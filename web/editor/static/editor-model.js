// The editor's state: boxes in image pixels, the selection, and an undo history.
// Pure geometry and bookkeeping: no DOM, so the canvas and the app stay thin.

/** Smallest box side, in image pixels, that a drag may leave. */
export const MIN_SIZE = 2;

/** Resize handles by compass direction; a name says which edges it moves. */
export const HANDLES = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

const MAX_HISTORY = 100;

const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
const copy = (b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });

/** The point of a handle on a box. */
export function handlePoint(b, h) {
  const x = h.includes('w') ? b.x1 : h.includes('e') ? b.x2 : (b.x1 + b.x2) / 2;
  const y = h.includes('n') ? b.y1 : h.includes('s') ? b.y2 : (b.y1 + b.y2) / 2;
  return { x, y };
}

/** A box shifted by (dx, dy), kept whole inside a w×h image. */
export function moveBox(b, dx, dy, w, h) {
  const bw = b.x2 - b.x1;
  const bh = b.y2 - b.y1;
  const x1 = clamp(b.x1 + dx, 0, Math.max(0, w - bw));
  const y1 = clamp(b.y1 + dy, 0, Math.max(0, h - bh));
  return { ...b, x1, y1, x2: x1 + bw, y2: y1 + bh };
}

/** A box whose edges named by `handle` follow the point (x, y), inside the image, never inverted. */
export function resizeBox(b, handle, x, y, w, h) {
  const out = { ...b };
  const px = clamp(x, 0, w);
  const py = clamp(y, 0, h);
  if (handle.includes('w')) out.x1 = Math.min(px, b.x2 - MIN_SIZE);
  if (handle.includes('e')) out.x2 = Math.max(px, b.x1 + MIN_SIZE);
  if (handle.includes('n')) out.y1 = Math.min(py, b.y2 - MIN_SIZE);
  if (handle.includes('s')) out.y2 = Math.max(py, b.y1 + MIN_SIZE);
  return out;
}

/** The box spanned by two points, clamped to the image. */
export function boxFromPoints(classId, a, c, w, h) {
  return {
    classId,
    x1: clamp(Math.min(a.x, c.x), 0, w),
    y1: clamp(Math.min(a.y, c.y), 0, h),
    x2: clamp(Math.max(a.x, c.x), 0, w),
    y2: clamp(Math.max(a.y, c.y), 0, h),
  };
}

const area = (b) => (b.x2 - b.x1) * (b.y2 - b.y1);

/**
 * What lies under (x, y): a handle of the selected box (within `tol` image pixels),
 * else the smallest box containing the point (so a small meter inside a big one stays
 * reachable), else nothing. Returns `{ index, part }` with part a handle name or 'body'.
 */
export function hitTest(boxes, selected, x, y, tol) {
  const sel = boxes[selected];
  if (sel) {
    for (const h of HANDLES) {
      const p = handlePoint(sel, h);
      if (Math.abs(p.x - x) <= tol && Math.abs(p.y - y) <= tol) return { index: selected, part: h };
    }
  }
  let best = null;
  boxes.forEach((b, i) => {
    const pad = Math.min(tol / 2, (b.x2 - b.x1) / 4, (b.y2 - b.y1) / 4);
    const inside = x >= b.x1 - pad && x <= b.x2 + pad && y >= b.y1 - pad && y <= b.y2 + pad;
    if (inside && (best === null || area(b) < area(boxes[best]))) best = i;
  });
  return best === null ? null : { index: best, part: 'body' };
}

/** Boxes plus selection, undo history and a "changed since last save" flag. */
export class BoxModel {
  constructor(width, height, boxes) {
    this.width = width;
    this.height = height;
    this.boxes = boxes.map(copy);
    this.selected = -1;
    this.history = [];
    this.saved = this.snapshotText();
    this.listeners = [];
  }

  snapshotText() {
    return JSON.stringify(this.toJSON());
  }

  /** Calls `fn` after every change. */
  onChange(fn) {
    this.listeners.push(fn);
  }

  emit() {
    for (const fn of this.listeners) fn(this);
  }

  get isDirty() {
    return this.snapshotText() !== this.saved;
  }

  get canUndo() {
    return this.history.length > 0;
  }

  /** Remembers the current boxes so the next change can be undone. */
  checkpoint() {
    this.history.push({ boxes: this.boxes.map(copy), selected: this.selected });
    if (this.history.length > MAX_HISTORY) this.history.shift();
  }

  undo() {
    const prev = this.history.pop();
    if (!prev) return;
    this.boxes = prev.boxes;
    this.selected = prev.selected < this.boxes.length ? prev.selected : -1;
    this.emit();
  }

  select(i) {
    const next = i >= 0 && i < this.boxes.length ? i : -1;
    if (next === this.selected) return;
    this.selected = next;
    this.emit();
  }

  add(box) {
    this.checkpoint();
    this.boxes.push(copy(box));
    this.selected = this.boxes.length - 1;
    this.emit();
  }

  removeSelected() {
    if (this.selected < 0) return;
    this.checkpoint();
    this.boxes.splice(this.selected, 1);
    this.selected = -1;
    this.emit();
  }

  setClass(i, classId) {
    const b = this.boxes[i];
    if (!b || b.classId === classId) return;
    this.checkpoint();
    b.classId = classId;
    this.emit();
  }

  /** Replaces a box during a drag; the drag took its checkpoint when it started. */
  replace(i, box) {
    if (!this.boxes[i]) return;
    this.boxes[i] = copy(box);
    this.emit();
  }

  /** Nudges the selected box by whole pixels (arrow keys). */
  nudge(dx, dy) {
    const b = this.boxes[this.selected];
    if (!b) return;
    this.checkpoint();
    this.boxes[this.selected] = moveBox(b, dx, dy, this.width, this.height);
    this.emit();
  }

  markSaved() {
    this.saved = this.snapshotText();
    this.emit();
  }

  /** Boxes as the API takes them, rounded to a tenth of a pixel. */
  toJSON() {
    const r = (v) => Math.round(v * 10) / 10;
    return this.boxes.map((b) => ({ classId: b.classId, x1: r(b.x1), y1: r(b.y1), x2: r(b.x2), y2: r(b.y2) }));
  }
}
