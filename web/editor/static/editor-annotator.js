// @ts-check
// The drawing surface: Annotorious (served from npm's @annotorious/annotorious) on the
// photo, set up for axis-aligned boxes with one class each, plus a thin layer of
// number-and-class tags drawn over the boxes (Annotorious draws no text).
import { createImageAnnotator, ShapeType, UserSelectAction } from './annotorious.js';
import { classBody, classOf, toAnnotation, toBox } from './editor-boxes.js';

const NS = 'http://www.w3.org/2000/svg';

/**
 * Binds Annotorious to `img` (already showing the photo) with `data.boxes`.
 * `opts`: drawClass() → class id for new boxes, colorOf(id), labelOf(id).
 * Returns the editor's view of it: boxes, selection, class changes, delete, undo,
 * and `onChange(fn)` called after every change of boxes or selection.
 */
export function createAnnotator(img, data, opts) {
  const { width, height } = data;
  const listeners = [];
  const emit = () => {
    for (const fn of listeners) fn();
  };

  const anno = createImageAnnotator(img, {
    drawingEnabled: true,
    drawingMode: 'drag',
    userSelectAction: UserSelectAction.EDIT,
    style: (a, state) => {
      const color = opts.colorOf(classOf(a) ?? opts.drawClass());
      return { stroke: color, strokeWidth: state?.selected ? 3 : 2, fill: color, fillOpacity: state?.selected ? 0.22 : 0.1 };
    },
  });
  anno.setDrawingTool('rectangle');
  anno.setAnnotations(data.boxes.map(toAnnotation), true);
  const { store } = anno.state;

  const tags = document.createElementNS(NS, 'svg');
  tags.setAttribute('class', 'tags');
  tags.setAttribute('viewBox', `0 0 ${width} ${height}`);
  tags.setAttribute('preserveAspectRatio', 'none');
  tags.setAttribute('aria-hidden', 'true');
  anno.element.appendChild(tags);

  /** Ids in first-seen order: the API's boxes, then new ones as drawn (an undone delete keeps its place). */
  const order = data.boxes.map((box, i) => toAnnotation(box, i).id);
  const ordered = () => {
    const all = anno.getAnnotations();
    for (const a of all) if (!order.includes(a.id)) order.push(a.id);
    const byId = new Map(all.map((a) => [a.id, a]));
    return order.map((id) => byId.get(id)).filter(Boolean);
  };

  function renderTags() {
    const scale = img.clientWidth > 0 ? width / img.clientWidth : 1;
    const font = 13 * scale;
    const selected = new Set(anno.getSelected().map((a) => a.id));
    tags.replaceChildren();
    // Numbered like boxes(): only annotations that make a box count.
    const shown = ordered().map((a) => [a, toBox(a, width, height, opts.drawClass())]).filter(([, box]) => box);
    shown.forEach(([a, box], i) => {
      const g = document.createElementNS(NS, 'g');
      g.setAttribute('class', selected.has(a.id) ? 'tag selected' : 'tag');
      g.dataset.box = String(i + 1);
      const text = document.createElementNS(NS, 'text');
      text.textContent = `${i + 1} ${opts.labelOf(box.classId)}`;
      text.setAttribute('font-size', String(font));
      const y = box.y1 >= font * 1.6 ? box.y1 - font * 0.45 : box.y1 + font * 1.2;
      text.setAttribute('y', String(y));
      const bg = document.createElementNS(NS, 'rect');
      bg.setAttribute('y', String(y - font * 1.1));
      bg.setAttribute('height', String(font * 1.5));
      bg.setAttribute('fill', opts.colorOf(box.classId));
      g.append(bg, text);
      tags.appendChild(g);
      // Kept inside the photo: a tag of a box at the right edge slides left.
      const tagWidth = text.getComputedTextLength() + 8 * scale;
      const x = Math.max(0, Math.min(box.x1, width - tagWidth));
      bg.setAttribute('x', String(x));
      bg.setAttribute('width', String(tagWidth));
      text.setAttribute('x', String(x + 4 * scale));
    });
  }

  // A box just drawn has no class yet: give it the class picked in the bar. Within
  // Annotorious's 250 ms grouping this joins the drawing's undo step.
  store.observe((event) => {
    for (const a of event.changes.created ?? []) {
      if (!order.includes(a.id)) order.push(a.id);
      if (classOf(a) === undefined) {
        queueMicrotask(() => {
          const now = store.getAnnotation(a.id);
          if (now && classOf(now) === undefined) anno.updateAnnotation({ ...now, bodies: [classBody(a.id, opts.drawClass())] });
        });
      }
    }
    renderTags();
    emit();
  });
  // Annotorious takes a pointer-up within 250 ms of the pointer-down as a click, so a
  // quick corner drag ends in a "click" on the corner, just outside the box, which
  // deselects it — through a timer, so on a busy phone that comes late. A press that
  // changed the selected box keeps it selected however late that comes, so the next
  // corner needs no new tap. `gesture` follows one pointer press: the next press (or
  // Escape) forgets it, and that is the only way a person deselects.
  const gesture = { id: undefined, edited: false };
  anno.element.addEventListener('pointerdown', () => {
    gesture.id = anno.getSelected()[0]?.id;
    gesture.edited = false;
  }, true);
  store.observe((event) => {
    if (gesture.id && (event.changes.updated ?? []).some((u) => u.newValue?.id === gesture.id)) gesture.edited = true;
  });
  anno.on('selectionChanged', (selected) => {
    const keep = gesture.edited && gesture.id && (selected ?? []).length === 0;
    if (keep && store.getAnnotation(gesture.id)) {
      const id = gesture.id;
      gesture.edited = false;
      queueMicrotask(() => anno.setSelected(id, true));
    }
    renderTags();
    emit();
  });
  new ResizeObserver(renderTags).observe(img);

  const selectedOne = () => anno.getSelected()[0];

  return {
    /** The boxes as the API takes them, in tag order. */
    boxes: () => ordered().map((a) => toBox(a, width, height, opts.drawClass())).filter(Boolean),
    /** The class of the selected box, or undefined when none is selected. */
    selectedClass: () => {
      const a = selectedOne();
      return a ? (classOf(a) ?? opts.drawClass()) : undefined;
    },
    hasSelection: () => selectedOne() !== undefined,
    setSelectedClass(classId) {
      const a = selectedOne();
      if (!a || classOf(a) === classId) return;
      anno.updateAnnotation({ ...a, bodies: [classBody(a.id, classId)] });
      renderTags();
    },
    deleteSelected() {
      const a = selectedOne();
      if (!a) return;
      gesture.id = undefined;
      anno.cancelSelected();
      anno.removeAnnotation(a.id);
    },
    /** The selected box as the API takes it, or undefined. */
    selectedBox() {
      const a = selectedOne();
      return (a && toBox(a, width, height, opts.drawClass())) || undefined;
    },
    /** Puts the selected box at `box`'s corners (image pixels; its class stays): one undo step. */
    setSelectedBox(box) {
      const a = selectedOne();
      if (!a) return;
      const placed = toAnnotation({ ...box, classId: classOf(a) ?? opts.drawClass() }, 0);
      anno.updateAnnotation({ ...a, target: { ...a.target, selector: { ...placed.target.selector, type: ShapeType.RECTANGLE } } });
    },
    /** Moves the selected box by (dx, dy) image pixels, kept inside the photo. */
    nudge(dx, dy) {
      const a = selectedOne();
      const box = a && toBox(a, width, height, opts.drawClass());
      if (!box) return;
      const mx = Math.min(Math.max(dx, -box.x1), width - box.x2);
      const my = Math.min(Math.max(dy, -box.y1), height - box.y2);
      const moved = toAnnotation({ ...box, x1: box.x1 + mx, y1: box.y1 + my, x2: box.x2 + mx, y2: box.y2 + my }, 0);
      anno.updateAnnotation({ ...a, target: { ...a.target, selector: { ...moved.target.selector, type: ShapeType.RECTANGLE } } });
    },
    /**
     * Deselects, and forgets the press that may still be keeping a box selected: the
     * "selectionChanged" of that press's click comes later (a timer), and on a busy
     * phone it can come after this, which would select the box again, so the next
     * drag on empty space would only deselect instead of drawing a box.
     */
    deselect() {
      gesture.id = undefined;
      gesture.edited = false;
      anno.cancelSelected();
    },
    undo: () => anno.undo(),
    canUndo: () => anno.canUndo(),
    onChange: (fn) => listeners.push(fn),
  };
}
