// Boxes as the API knows them ({ classId, x1, y1, x2, y2 } in image pixels) and as
// Annotorious holds them (annotations with a RECTANGLE selector and one body that
// names the class). Pure functions: no DOM.

/** The body purpose that carries a box's class (W3C "classifying"). */
export const CLASS_PURPOSE = 'classifying';

const round = (v) => Math.round(v * 10) / 10;
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

/** The body that gives annotation `id` the class `classId`. */
export function classBody(id, classId) {
  return { id: `${id}-class`, annotation: id, purpose: CLASS_PURPOSE, value: String(classId) };
}

/** The class of an annotation, or undefined while it has none (just drawn). */
export function classOf(annotation) {
  const body = annotation.bodies?.find((b) => b.purpose === CLASS_PURPOSE);
  const id = body ? Number(body.value) : NaN;
  return Number.isInteger(id) ? id : undefined;
}

/** The annotation for box number `i` (ids follow the order the API sent). */
export function toAnnotation(box, i) {
  const id = `box-${i + 1}`;
  const { x1, y1, x2, y2 } = box;
  return {
    id,
    bodies: [classBody(id, box.classId)],
    target: {
      annotation: id,
      selector: {
        type: 'RECTANGLE',
        geometry: { x: x1, y: y1, w: x2 - x1, h: y2 - y1, rot: 0, bounds: { minX: x1, minY: y1, maxX: x2, maxY: y2 } },
      },
    },
  };
}

/**
 * The API box of an annotation, clamped to the w×h image and rounded to a tenth of a
 * pixel; null when it is not a rectangle or has no area left inside the image. The
 * bounds are used, so a box is always axis-aligned.
 */
export function toBox(annotation, w, h, fallbackClass) {
  const sel = annotation.target?.selector;
  const b = sel?.type === 'RECTANGLE' ? sel.geometry?.bounds : undefined;
  if (!b) return null;
  const x1 = round(clamp(b.minX, 0, w));
  const y1 = round(clamp(b.minY, 0, h));
  const x2 = round(clamp(b.maxX, 0, w));
  const y2 = round(clamp(b.maxY, 0, h));
  if (x2 - x1 < 1 || y2 - y1 < 1) return null;
  return { classId: classOf(annotation) ?? fallbackClass, x1, y1, x2, y2 };
}

/**
 * The class new boxes start with: the first class of the photo's combo that has no box
 * yet (a 数显仪表-only photo starts with 数显仪表), else the combo's first class, else the
 * first class of the exam.
 */
export function initialDrawClass(classes, comboClassIds, boxes) {
  const combo = (comboClassIds ?? []).filter((id) => classes.some((c) => c.id === id));
  const missing = combo.find((id) => !boxes.some((b) => b.classId === id));
  return missing ?? combo[0] ?? classes[0]?.id ?? 0;
}
