/**
 * Average precision from a ranked list of true/false positives, following
 * pycocotools' `COCOeval.accumulate`, and the precision-recall curve.
 */

/**
 * The 101 COCO recall thresholds 0:0.01:1, bit-for-bit equal to
 * pycocotools' `np.linspace(.0, 1.00, 101)` (`i * 0.01`, last exactly 1).
 */
export const RECALL_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) =>
  i === 100 ? 1 : i * 0.01,
);

/**
 * COCO 101-point interpolated average precision of one class at one IoU
 * threshold, in [0, 1].
 *
 * `isTp` is the match outcome of the class's detections in ranking order
 * (descending score); `gtCount` is the number of ground-truth boxes of the
 * class. The algorithm is pycocotools' `accumulate`:
 *
 * 1. cumulative sums give recall `rc[i] = tp[i] / gtCount` and precision
 *    `pr[i] = tp[i] / (tp[i] + fp[i])` after the i-th detection;
 * 2. precision is made monotone from the right: `pr[i] = max(pr[i..])`;
 * 3. for each recall threshold r, take `pr` at the first i with `rc[i] >= r`
 *    (`searchsorted(rc, r, side='left')`), or 0 when recall never reaches r;
 * 4. AP is the mean of those 101 values.
 *
 * Returns `null` when `gtCount` is 0: AP is undefined for a class without
 * ground truth (pycocotools marks it -1 and leaves it out of the mean). A
 * class with ground truth but no detections has AP 0.
 *
 * pycocotools adds `np.spacing(1)` (2.2e-16) to the precision denominator;
 * it only guards a 0/0 that cannot happen here, so it is left out and a
 * perfect ranking gives exactly 1. Results differ from pycocotools by at
 * most a few units in the 16th digit.
 */
export function cocoAveragePrecision(isTp: readonly boolean[], gtCount: number): number | null {
  if (gtCount === 0) return null;
  const { recall, precision } = cumulativeCurve(isTp, gtCount);
  for (let i = precision.length - 1; i > 0; i--) {
    const here = precision[i] as number;
    if (here > (precision[i - 1] as number)) precision[i - 1] = here;
  }
  let sum = 0;
  let i = 0;
  for (const r of RECALL_THRESHOLDS) {
    while (i < recall.length && (recall[i] as number) < r) i++;
    if (i === recall.length) break;
    sum += precision[i] as number;
  }
  return sum / RECALL_THRESHOLDS.length;
}

/** One operating point of a detector: what you get by keeping detections with `score >= score`. */
export interface PrPoint {
  /** Fraction of ground-truth boxes found, in [0, 1]. */
  readonly recall: number;
  /** Fraction of kept detections that are correct, in [0, 1] (raw, not the monotone envelope). */
  readonly precision: number;
  /** The confidence threshold giving this point. */
  readonly score: number;
}

/**
 * The raw precision-recall curve of one class: one point per distinct score,
 * in descending score order (so recall is non-decreasing), each the outcome
 * of thresholding at that score (tied detections enter together). Precision
 * is the raw value, not COCO's monotone envelope, so a report can read the
 * real precision at a chosen threshold.
 *
 * Evenly downsampled by rank to at most `maxPoints` (first and last point
 * always kept). Empty when the class has no ground truth (recall undefined)
 * or no detections.
 */
export function precisionRecallCurve(
  ranked: readonly { readonly score: number }[],
  isTp: readonly boolean[],
  gtCount: number,
  maxPoints = 101,
): PrPoint[] {
  if (gtCount === 0) return [];
  const { recall, precision } = cumulativeCurve(isTp, gtCount);
  const points: PrPoint[] = [];
  ranked.forEach((det, i) => {
    const next = ranked[i + 1];
    if (next !== undefined && next.score === det.score) return;
    points.push({ recall: recall[i] as number, precision: precision[i] as number, score: det.score });
  });
  return downsample(points, maxPoints);
}

/** Keeps at most `max` items, evenly spread by index, always the first and the last. */
export function downsample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max < 2) return items.slice(0, Math.max(0, max));
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => items[Math.round(k * step)] as T);
}

function cumulativeCurve(
  isTp: readonly boolean[],
  gtCount: number,
): { recall: number[]; precision: number[] } {
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  let fp = 0;
  for (const hit of isTp) {
    if (hit) tp++;
    else fp++;
    recall.push(tp / gtCount);
    precision.push(tp / (tp + fp));
  }
  return { recall, precision };
}
