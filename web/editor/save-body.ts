import { z } from 'zod';
import type { KeySuffix } from '../../core/index.js';

/**
 * Validation of the editor's save request. Coordinates are pixels of the oriented
 * image; boxes are clamped to the image, then must keep a positive size.
 */

/** Most boxes one photo may carry: the rig never holds more than a handful of meters. */
export const MAX_BOXES = 50;
/** Largest save body accepted, in bytes (50 boxes need about 5 KB). */
export const MAX_SAVE_BODY_BYTES = 64 * 1024;

/** The editor API's errors other than access (400, 404, 409, 413); texts under `editor.error.*`, `{n}` a 1-based box number. */
export type ApiErrorCode = KeySuffix<'editor.error.'>;

/** A box as the editor saves it (before the store adds `source`). */
export interface EditorBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The image and class list a save is checked against. */
export interface SaveLimits {
  /** Oriented image size in pixels. */
  width: number;
  height: number;
  classIds: ReadonlySet<number>;
}

export type SaveBodyResult =
  | { ok: true; boxes: EditorBox[] }
  /** `box` is the 1-based number of the offending box, when one is to blame. */
  | { ok: false; error: ApiErrorCode; box?: number };

const bodySchema = z.object({ boxes: z.array(z.unknown()) });
// zod 4's number() refuses NaN and ±Infinity (JSON.parse turns 1e999 into Infinity).
const boxSchema = z.object({
  classId: z.number().int(),
  x1: z.number(),
  y1: z.number(),
  x2: z.number(),
  y2: z.number(),
});

const clamp = (v: number, max: number): number => Math.min(Math.max(v, 0), max);

/** Checks a parsed JSON body; unknown keys are ignored. Never throws. */
export function parseSaveBody(raw: unknown, limits: SaveLimits): SaveBodyResult {
  const body = bodySchema.safeParse(raw);
  if (!body.success) return { ok: false, error: 'bad-body' };
  const items = body.data.boxes;
  if (items.length === 0) return { ok: false, error: 'no-boxes' };
  if (items.length > MAX_BOXES) return { ok: false, error: 'too-many-boxes' };
  const boxes: EditorBox[] = [];
  for (const [i, item] of items.entries()) {
    const n = i + 1;
    const parsed = boxSchema.safeParse(item);
    if (!parsed.success) return { ok: false, error: 'bad-box', box: n };
    const b = parsed.data;
    if (!limits.classIds.has(b.classId)) return { ok: false, error: 'bad-class', box: n };
    if (!(b.x2 > b.x1 && b.y2 > b.y1)) return { ok: false, error: 'bad-order', box: n };
    const box = {
      classId: b.classId,
      x1: clamp(b.x1, limits.width),
      y1: clamp(b.y1, limits.height),
      x2: clamp(b.x2, limits.width),
      y2: clamp(b.y2, limits.height),
    };
    // Less than a pixel left after clamping: the box was (almost) entirely outside.
    if (box.x2 - box.x1 < 1 || box.y2 - box.y1 < 1) return { ok: false, error: 'outside-image', box: n };
    boxes.push(box);
  }
  return { ok: true, boxes };
}
