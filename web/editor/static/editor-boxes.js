// @ts-check
// Boxes as the API knows them ({ classId, x1, y1, x2, y2 } in image pixels) and as
// Annotorious holds them (annotations with a RECTANGLE selector and one body that
// names the class). Pure functions: no DOM.

/** @typedef {{ classId: number, x1: number, y1: number, x2: number, y2: number }} Box */
/** @typedef {{ minX: number, minY: number, maxX: number, maxY: number }} Bounds */
/**
 * What these functions read of an Annotorious annotation.
 * @typedef {{
 *   id: string,
 *   bodies?: Array<{ purpose?: string, value?: string }>,
 *   target?: { annotation?: string, selector?: { type: string, geometry?: { bounds?: Bounds } } },
 * }} AnnotationLike
 */

/** The body purpose that carries a box's class (W3C "classifying"). */
export const CLASS_PURPOSE = 'classifying';

const round = (/** @type {number} */ v) => Math.round(v * 10) / 10;
const clamp = (/** @type {number} */ v, /** @type {number} */ lo, /** @type {number} */ hi) => Math.min(Math.max(v, lo), hi);

/**
 * The body that gives annotation `id` the class `classId`.
 * @param {string} id
 * @param {number} classId
 */
export function classBody(id, classId) {
  return { id: `${id}-class`, annotation: id, purpose: CLASS_PURPOSE, value: String(classId) };
}

/**
 * The class of an annotation, or undefined while it has none (just drawn).
 * @param {AnnotationLike} annotation
 * @returns {number | undefined}
 */
export function classOf(annotation) {
  const body = annotation.bodies?.find((b) => b.purpose === CLASS_PURPOSE);
  const id = body ? Number(body.value) : NaN;
  return Number.isInteger(id) ? id : undefined;
}

/**
 * The annotation for box number `i` (ids follow the order the API sent).
 * @param {Box} box
 * @param {number} i
 */
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
 * @param {AnnotationLike} annotation
 * @param {number} w
 * @param {number} h
 * @param {number} fallbackClass
 * @returns {Box | null}
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
 * @param {ReadonlyArray<{ id: number }>} classes
 * @param {ReadonlyArray<number> | null | undefined} comboClassIds
 * @param {ReadonlyArray<Pick<Box, 'classId'>>} boxes
 * @returns {number}
 */
export function initialDrawClass(classes, comboClassIds, boxes) {
  const combo = (comboClassIds ?? []).filter((id) => classes.some((c) => c.id === id));
  const missing = combo.find((id) => !boxes.some((b) => b.classId === id));
  return missing ?? combo[0] ?? classes[0]?.id ?? 0;
}
