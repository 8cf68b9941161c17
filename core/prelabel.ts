import { area, clampBox, intersectionArea, iou, isTouchingBorder, nms, sortByScoreDesc, type Box, type BoxDetection } from './metrics/index.js';

/**
 * Pre-labeling: from a detector's raw output to the boxes a contestant is asked to
 * confirm. Two pure steps, both in the oriented photo's pixels:
 *
 * 1. {@link selectDetections}: score threshold, scaling from the model's input pixels
 *    to the photo's, clamping to the photo, class-agnostic NMS (one object never comes
 *    back twice with two labels), box voting (a kept box becomes the score-weighted mean
 *    of the model's candidates around it: tighter on real photos) and part suppression
 *    (a box lying mostly inside a better one — half a dial, a bezel — is dropped).
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
  /**
   * Box voting: a kept box becomes the mean of every candidate (any label, score ≥
   * `voteMinScore`) overlapping it with IoU ≥ `voteIou`, weighted by score². Off when
   * undefined. The model must return its overlapping candidates (the trainer's ONNX export
   * leaves NMS to us); with a model that already suppressed them it changes little.
   */
  readonly voteIou?: number;
  /** Candidates below this score take no part in voting. Default 0.05 (the export's floor). */
  readonly voteMinScore?: number;
  /**
   * Part suppression: a kept box with at least this share of its area inside a better kept
   * box is dropped (a half dial, a bezel or a face inside the whole meter). Off when undefined.
   */
  readonly containedShare?: number;
}

/** Box voting and part suppression as measured on the real-gauges half g058+ (issue 14). */
export const SELECT_DEFAULTS = { voteIou: 0.8, voteMinScore: 0.05, containedShare: 0.7 } as const;

/**
 * Turns raw model detections (boxes in model-input pixels) into detections in output
 * pixels, highest score first. Drops non-finite values, scores below the threshold,
 * boxes with nothing inside the image, and duplicates of a better box whatever their
 * label (class-agnostic NMS, torchvision's IoU `>` convention): no two boxes returned
 * overlap with IoU `> nmsIou`, after voting too.
 */
export function selectDetections(raw: readonly Detection[], o: SelectDetectionsOptions): Detection[] {
  const floor = o.voteIou === undefined ? o.scoreThreshold : Math.min(o.scoreThreshold, o.voteMinScore ?? SELECT_DEFAULTS.voteMinScore);
  const candidates: Detection[] = [];
  for (const d of raw) {
    const { x1, y1, x2, y2 } = d.box;
    if (!(d.score >= floor) || !Number.isFinite(d.score)) continue;
    if (![x1, y1, x2, y2].every(Number.isFinite) || !Number.isInteger(d.classId) || d.classId < 0) continue;
    const box = clampBox({ x1: x1 * o.scaleX, y1: y1 * o.scaleY, x2: x2 * o.scaleX, y2: y2 * o.scaleY }, o.width, o.height);
    if (box) candidates.push({ classId: d.classId, score: d.score, box });
  }
  let kept = nms(candidates.filter((d) => d.score >= o.scoreThreshold), o.nmsIou);
  // voting can pull two kept boxes towards the candidates between them: NMS again, so no two
  // boxes returned overlap more than nmsIou (one object is never proposed twice)
  if (o.voteIou !== undefined) kept = nms(kept.map((d) => ({ ...d, box: vote(d.box, candidates, o.voteIou!) })), o.nmsIou);
  if (o.containedShare !== undefined) kept = dropParts(kept, o.containedShare);
  return kept;
}

/** The score²-weighted mean of the candidates with IoU ≥ `minIou` with `box` (itself included). */
function vote(box: Box, candidates: readonly Detection[], minIou: number): Box {
  let w = 0;
  let x1 = 0;
  let y1 = 0;
  let x2 = 0;
  let y2 = 0;
  for (const c of candidates) {
    if (iou(box, c.box) < minIou) continue;
    const k = c.score * c.score;
    w += k;
    x1 += k * c.box.x1;
    y1 += k * c.box.y1;
    x2 += k * c.box.x2;
    y2 += k * c.box.y2;
  }
  return w > 0 && x2 > x1 && y2 > y1 ? { x1: x1 / w, y1: y1 / w, x2: x2 / w, y2: y2 / w } : box;
}

/**
 * Drops a part of a better kept box (input: best first): a box with at least `share` of its
 * area inside it (half a dial, a bezel), or one hanging from its lower half like a gauge's
 * stem or pipe fitting ({@link isStem}).
 */
function dropParts(kept: readonly Detection[], share: number): Detection[] {
  const out: Detection[] = [];
  for (const d of kept) {
    const a = area(d.box);
    if (!out.some((k) => (a > 0 && intersectionArea(d.box, k.box) / a >= share) || isStem(d.box, k.box))) out.push(d);
  }
  return out;
}

/** A stem is at most this share of the meter's area… */
const STEM_MAX_AREA = 0.4;
/** …its top within the meter's lower half or this share of its height below it… */
const STEM_GAP = 0.1;
/** …and it lies within the meter's columns, widened by this share of its width each side. */
const STEM_SIDE = 0.1;

/**
 * Whether `d` hangs below `meter` as its stem or pipe fitting does: much smaller, its top
 * between the meter's middle and just under its bottom edge, inside the meter's columns.
 * Two meters mounted one above the other on a rig stand apart (the synthetic rigs keep a gap
 * and the real-gauges set has none closer): only this close and this narrow is it a part.
 */
function isStem(d: Box, meter: Box): boolean {
  const mw = meter.x2 - meter.x1;
  const mh = meter.y2 - meter.y1;
  return (
    area(d) <= STEM_MAX_AREA * area(meter) &&
    d.y1 >= meter.y1 + 0.5 * mh &&
    d.y1 <= meter.y2 + STEM_GAP * mh &&
    d.y2 > meter.y2 &&
    d.x1 >= meter.x1 - STEM_SIDE * mw &&
    d.x2 <= meter.x2 + STEM_SIDE * mw
  );
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
