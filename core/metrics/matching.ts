/**
 * Inputs of detection evaluation and the greedy detection-to-ground-truth
 * matching of pycocotools' `COCOeval.evaluateImg` (bbox, area range "all",
 * no crowd or ignored boxes).
 */
import { InvariantError } from '../errors.js';
import { iou, sortByScoreDesc, type Box } from './geometry.js';

/** One labeled object: class index and box in pixels. */
export interface GroundTruthBox {
  readonly classId: number;
  readonly box: Box;
}

/**
 * The ground truth of one evaluated image. Every evaluated image must be
 * listed, including images with no objects (`boxes: []`): an image's
 * detections can only be false positives if the image is known.
 */
export interface GroundTruthImage {
  readonly imageId: string;
  readonly boxes: readonly GroundTruthBox[];
}

/** A detector output on one image; `score` is the confidence in [0, 1]. */
export interface ImageDetection {
  readonly imageId: string;
  readonly classId: number;
  readonly score: number;
  readonly box: Box;
}

/**
 * The COCO IoU thresholds 0.50:0.05:0.95, bit-for-bit equal to pycocotools'
 * `np.linspace(.5, 0.95, 10)` (so the ninth is 0.8999999999999999, not 0.9).
 */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) =>
  i === 9 ? 0.95 : i * ((0.95 - 0.5) / 9) + 0.5,
);

/** The detections of one class in ranking order, with their match outcome per IoU threshold. */
export interface RankedClassMatches {
  readonly classId: number;
  /** Ground-truth boxes of this class over all images. */
  readonly gtCount: number;
  /** Detections of this class, descending score, ties by input index. */
  readonly detections: readonly ImageDetection[];
  /** `isTp[t][i]`: detection `i` matched a ground truth at `iouThresholds[t]`. */
  readonly isTp: readonly (readonly boolean[])[];
}

/**
 * Rejects inputs that would make the metrics silently wrong; throws a
 * {@link InvariantError} (a caller bug) that says how to fix the caller. Class ids are only checked
 * when `classIds` is given.
 */
export function validateInputs(
  groundTruth: readonly GroundTruthImage[],
  detections: readonly ImageDetection[],
  classIds?: readonly number[],
): void {
  const classes = classIds === undefined ? undefined : new Set(classIds);
  if (classes !== undefined && classIds !== undefined && classes.size !== classIds.length) {
    throw new InvariantError(`classIds contains duplicates (${classIds.join(', ')}); list each class once.`);
  }
  const images = new Set<string>();
  for (const image of groundTruth) {
    if (images.has(image.imageId)) {
      throw new InvariantError(
        `Ground truth lists image "${image.imageId}" twice; merge its boxes into one entry.`,
      );
    }
    images.add(image.imageId);
    for (const gt of image.boxes) {
      checkClass(gt.classId, classes, `ground truth of image "${image.imageId}"`);
      checkBox(gt.box, `ground truth of image "${image.imageId}"`);
    }
  }
  for (const det of detections) {
    if (!images.has(det.imageId)) {
      throw new InvariantError(
        `Detection on image "${det.imageId}" which has no ground-truth entry; ` +
          `add { imageId: "${det.imageId}", boxes: [] } if the image has no objects.`,
      );
    }
    checkClass(det.classId, classes, `a detection on image "${det.imageId}"`);
    checkBox(det.box, `a detection on image "${det.imageId}"`);
    if (!Number.isFinite(det.score)) {
      throw new InvariantError(`A detection on image "${det.imageId}" has score ${det.score}; scores must be finite.`);
    }
  }
}

/**
 * Greedy matching of one class at several IoU thresholds, as pycocotools does
 * it per image and class:
 *
 * - detections are visited by descending score, ties by input index (a
 *   stable sort, as pycocotools' `mergesort`);
 * - a detection takes the still-unmatched ground truth of the same class and
 *   image with the highest IoU, provided that IoU is `>=` the threshold
 *   (capped at `1 - 1e-10`, as pycocotools); among equal IoUs the later
 *   ground-truth box wins, again as pycocotools;
 * - each ground truth is matched at most once, so a duplicate detection is a
 *   false positive.
 *
 * `maxDetsPerImage` keeps only the best-scored detections per image and class
 * (pycocotools uses 100; the default keeps all).
 */
export function matchClass(
  groundTruth: readonly GroundTruthImage[],
  detections: readonly ImageDetection[],
  classId: number,
  iouThresholds: readonly number[],
  maxDetsPerImage = Number.POSITIVE_INFINITY,
): RankedClassMatches {
  const gtByImage = new Map<string, Box[]>();
  let gtCount = 0;
  for (const image of groundTruth) {
    const boxes = image.boxes.filter((b) => b.classId === classId).map((b) => b.box);
    gtByImage.set(image.imageId, boxes);
    gtCount += boxes.length;
  }

  const ranked = sortByScoreDesc(detections.filter((d) => d.classId === classId));
  const perImageSeen = new Map<string, number>();
  const kept = ranked.filter((d) => {
    const seen = perImageSeen.get(d.imageId) ?? 0;
    perImageSeen.set(d.imageId, seen + 1);
    return seen < maxDetsPerImage;
  });

  const isTp = iouThresholds.map((threshold) => {
    const matched = new Map<string, boolean[]>();
    return kept.map((det) => {
      const gts = gtByImage.get(det.imageId) ?? [];
      let taken = matched.get(det.imageId);
      if (taken === undefined) {
        taken = gts.map(() => false);
        matched.set(det.imageId, taken);
      }
      const m = bestUnmatched(det.box, gts, taken, threshold);
      if (m === -1) return false;
      taken[m] = true;
      return true;
    });
  });
  return { classId, gtCount, detections: kept, isTp };
}

/**
 * Index of the not-yet-taken box in `candidates` with the highest IoU with
 * `box` that is `>= threshold` (capped at `1 - 1e-10`), or -1. Ties go to the
 * later candidate, mirroring pycocotools' `evaluateImg` loop.
 */
export function bestUnmatched(
  box: Box,
  candidates: readonly Box[],
  taken: readonly boolean[],
  threshold: number,
): number {
  let best = Math.min(threshold, 1 - 1e-10);
  let m = -1;
  candidates.forEach((candidate, g) => {
    if (taken[g] === true) return;
    const overlap = iou(box, candidate);
    if (overlap < best) return;
    best = overlap;
    m = g;
  });
  return m;
}

function checkClass(classId: number, classes: ReadonlySet<number> | undefined, where: string): void {
  if (classes !== undefined && !classes.has(classId)) {
    throw new InvariantError(
      `Class ${classId} in ${where} is not in classIds [${[...classes].join(', ')}]; ` +
        'pass every class the labels and the model use.',
    );
  }
}

function checkBox(box: Box, where: string): void {
  if (![box.x1, box.y1, box.x2, box.y2].every(Number.isFinite)) {
    throw new InvariantError(`A box in ${where} has a non-finite coordinate: ${JSON.stringify(box)}.`);
  }
}
