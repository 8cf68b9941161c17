import { clampBox, isTouchingBorder, nms, sortByScoreDesc, type Box, type BoxDetection } from './metrics/index.js';

/**
 * Pre-labeling: from a detector's raw output to the boxes a contestant is asked to
 * confirm. Two pure steps, both in the oriented photo's pixels:
 *
 * 1. {@link selectDetections}: score threshold, scaling from the model's input pixels
 *    to the photo's, clamping to the photo, class-agnostic NMS (one object never comes
 *    back twice with two labels).
 * 2. {@link prelabel}: the photo's combo is known (the capture plan asked for exactly
 *    one meter of each of its classes), so classes are constrained to the combo and
 *    assigned one per class where the scores allow; what still looks wrong is flagged.
 */

/** A detection in image pixels: `classId` is the exam class id (0-based), `score` in [0, 1]. */
export type Detection = BoxDetection;

/** Options of {@link selectDetections}. */
export interface SelectDetectionsOptions {
  /** Keep detections with `score >= scoreThreshold`. */
  readonly scoreThreshold: number;
  /** Class-agnostic NMS: drop a box whose IoU with a better kept box is `> nmsIou`. */
  readonly nmsIou: number;
  /** Output pixels per model-input pixel, horizontally (e.g. 4000 / 640). */
  readonly scaleX: number;
  /** Output pixels per model-input pixel, vertically. */
  readonly scaleY: number;
  /** Output image size, px: boxes are clamped to `[0, width] × [0, height]`. */
  readonly width: number;
  readonly height: number;
}

/**
 * Turns raw model detections (boxes in model-input pixels) into detections in output
 * pixels, highest score first. Drops non-finite values, scores below the threshold,
 * boxes with nothing inside the image, and duplicates of a better box whatever their
 * label (class-agnostic NMS, torchvision's IoU `>` convention).
 */
export function selectDetections(raw: readonly Detection[], o: SelectDetectionsOptions): Detection[] {
  const kept: Detection[] = [];
  for (const d of raw) {
    const { x1, y1, x2, y2 } = d.box;
    if (!(d.score >= o.scoreThreshold) || !Number.isFinite(d.score)) continue;
    if (![x1, y1, x2, y2].every(Number.isFinite) || !Number.isInteger(d.classId) || d.classId < 0) continue;
    const box = clampBox({ x1: x1 * o.scaleX, y1: y1 * o.scaleY, x2: x2 * o.scaleX, y2: y2 * o.scaleY }, o.width, o.height);
    if (box) kept.push({ classId: d.classId, score: d.score, box });
  }
  return nms(kept, o.nmsIou);
}

/** A per-box warning: the box reaches the frame (object probably cut off), or is very small. */
export type BoxFlag = 'touches-border' | 'tiny-box';

/** A per-photo warning. */
export type PhotoFlag =
  /** Classes of the combo that got no box: an object the model probably missed (漏标). */
  | { readonly kind: 'missing-class'; readonly classIds: number[] }
  /** More boxes than the combo has classes: a duplicate or a false positive to delete. */
  | { readonly kind: 'too-many-boxes'; readonly count: number; readonly expected: number };

/** A box proposed to the contestant. */
export interface ProposedBox {
  /** Exam class id, always one of the combo's. */
  readonly classId: number;
  /** The class the model said; differs from `classId` when pre-labeling relabelled the box. */
  readonly modelClassId: number;
  /** The model's score, unchanged. */
  readonly score: number;
  readonly box: Box;
  readonly flags: BoxFlag[];
}

/** Result of {@link prelabel}: boxes highest score first, and photo-level flags. */
export interface PrelabelResult {
  readonly boxes: ProposedBox[];
  readonly flags: PhotoFlag[];
}

/** Options of {@link prelabel}; every field has a default in {@link PRELABEL_DEFAULTS}. */
export interface PrelabelOptions {
  /** Keep at most this many boxes, by score. Default: combo size + 2. */
  readonly maxBoxes?: number;
  /** A box within this many px of an edge gets `touches-border`. Default 2. */
  readonly borderMarginPx?: number;
  /** A box whose area is below this share of the image gets `tiny-box`. Default 0.002 (0.2 %). */
  readonly tinyAreaFraction?: number;
  /** A box with a side below this many px gets `tiny-box`. Default 12. */
  readonly tinySidePx?: number;
  /** A box's weight for a class other than its model label, as a share of its score. Default 0.3. */
  readonly mismatchFactor?: number;
  /**
   * A box whose model label is a combo class may be moved to another combo class only
   * with at least this score: a weak box with the wrong label is more likely a false
   * positive than the missing object, so it keeps its label and the photo gets
   * `missing-class`. Default 0.4.
   */
  readonly minReassignScore?: number;
}

/** Defaults of {@link PrelabelOptions} (`maxBoxes` depends on the combo). */
export const PRELABEL_DEFAULTS = {
  extraBoxes: 2,
  borderMarginPx: 2,
  tinyAreaFraction: 0.002,
  tinySidePx: 12,
  mismatchFactor: 0.3,
  minReassignScore: 0.4,
} as const;

/** Combos are at most `maxComboSize` (≤ 5) classes; the assignment is exponential in it. */
const MAX_COMBO = 12;

/**
 * Proposes the boxes of one photo whose combo is `comboClassIds`.
 *
 * Method: keep the `maxBoxes` best boxes; then choose a one-to-one matching between
 * combo classes and boxes that maximises the summed weight, where a box's weight for a
 * class is its score when the model gave that label, `score × mismatchFactor` otherwise
 * (forbidden when the model's label is another combo class and `score <
 * minReassignScore`). Every class is matched when enough boxes may take it, and a
 * confident box the model labelled like a better one moves to the class still free.
 * Solved exactly by dynamic programming over (box, set of used classes): O(m · 2^k · k).
 * Unmatched boxes keep the model's label when it is a combo class, else take the combo
 * class with the fewest boxes so far (ties: lowest id). Ties in the matching go to the
 * higher-scored box and the lower class id.
 *
 * `imageSize` is the size, px, of the image the boxes are in (for the border and tiny
 * flags). Throws `RangeError` for an empty or oversized combo or a bad size.
 */
export function prelabel(
  detections: readonly Detection[],
  comboClassIds: readonly number[],
  imageSize: { readonly width: number; readonly height: number },
  opts: PrelabelOptions = {},
): PrelabelResult {
  const combo = [...new Set(comboClassIds)].sort((a, b) => a - b);
  if (combo.length === 0 || combo.length > MAX_COMBO) {
    throw new RangeError(`prelabel: combo must have 1..${MAX_COMBO} classes, got ${combo.length}`);
  }
  const { width, height } = imageSize;
  if (!(width > 0 && height > 0)) throw new RangeError(`prelabel: image size must be positive, got ${width}×${height}`);
  const d = PRELABEL_DEFAULTS;
  const maxBoxes = opts.maxBoxes ?? combo.length + d.extraBoxes;
  const mismatch = opts.mismatchFactor ?? d.mismatchFactor;
  const minReassign = opts.minReassignScore ?? d.minReassignScore;

  const kept = sortByScoreDesc(detections).slice(0, Math.max(0, maxBoxes));
  const weight = (det: Detection, classId: number): number => {
    if (det.classId === classId) return det.score;
    if (combo.includes(det.classId) && det.score < minReassign) return -Infinity;
    return det.score * mismatch;
  };
  const matched = matchClasses(kept, combo, weight);

  const classes = kept.map((_, i) => matched[i]);
  const countOf = (c: number): number => classes.filter((x) => x === c).length;
  kept.forEach((det, i) => {
    if (classes[i] !== undefined) return;
    if (combo.includes(det.classId)) {
      classes[i] = det.classId;
      return;
    }
    classes[i] = combo.reduce((best, c) => (countOf(c) < countOf(best) ? c : best), combo[0] as number);
  });

  const minArea = (opts.tinyAreaFraction ?? d.tinyAreaFraction) * width * height;
  const minSide = opts.tinySidePx ?? d.tinySidePx;
  const margin = opts.borderMarginPx ?? d.borderMarginPx;
  const boxes = kept.map((det, i): ProposedBox => {
    const flags: BoxFlag[] = [];
    if (isTouchingBorder(det.box, width, height, margin)) flags.push('touches-border');
    const w = det.box.x2 - det.box.x1;
    const h = det.box.y2 - det.box.y1;
    if (w * h < minArea || Math.min(w, h) < minSide) flags.push('tiny-box');
    return { classId: classes[i] as number, modelClassId: det.classId, score: det.score, box: det.box, flags };
  });

  const flags: PhotoFlag[] = [];
  const missing = combo.filter((c) => !classes.includes(c));
  if (missing.length > 0) flags.push({ kind: 'missing-class', classIds: missing });
  if (boxes.length > combo.length) flags.push({ kind: 'too-many-boxes', count: boxes.length, expected: combo.length });
  return { boxes, flags };
}

/**
 * Maximum-weight matching of `classes` to `boxes` (each used at most once, a pair with
 * weight −∞ never matched). Returns, per box index, the matched class or undefined.
 */
function matchClasses(
  boxes: readonly Detection[],
  classes: readonly number[],
  weight: (det: Detection, classId: number) => number,
): (number | undefined)[] {
  const k = classes.length;
  const states = 1 << k;
  // best[i][mask]: best summed weight after deciding boxes 0..i-1 with classes `mask` used.
  const best: Float64Array[] = [Float64Array.from({ length: states }, (_, s) => (s === 0 ? 0 : -Infinity))];
  const choice: Int8Array[] = [];
  boxes.forEach((det, i) => {
    const prev = best[i] as Float64Array;
    // Leaving the box unmatched comes first, so that on a tie an earlier (better) box keeps its class.
    const next = Float64Array.from(prev);
    const pick = new Int8Array(states).fill(-1);
    for (let mask = 0; mask < states; mask++) {
      const base = prev[mask] as number;
      if (base === -Infinity) continue;
      classes.forEach((c, j) => {
        const bit = 1 << j;
        if (mask & bit) return;
        const v = base + weight(det, c);
        if (v > (next[mask | bit] as number)) {
          next[mask | bit] = v;
          pick[mask | bit] = j;
        }
      });
    }
    best.push(next);
    choice.push(pick);
  });

  const last = best[boxes.length] as Float64Array;
  let mask = 0;
  for (let s = 1; s < states; s++) if ((last[s] as number) > (last[mask] as number)) mask = s;
  const out: (number | undefined)[] = boxes.map(() => undefined);
  for (let i = boxes.length - 1; i >= 0; i--) {
    const j = (choice[i] as Int8Array)[mask] as number;
    if (j >= 0) {
      out[i] = classes[j];
      mask &= ~(1 << j);
    }
  }
  return out;
}
