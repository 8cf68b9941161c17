/**
 * Detection metrics of a trained model on a labeled image set: per-class AP
 * and mAP (COCO conventions), precision/recall at an operating point, the
 * confusion matrix and precision-recall curves.
 *
 * Conventions, shared with the Python trainer's mAP50 so the two agree:
 * - IoU from box corners, `inter / (areaA + areaB - inter)`; a detection
 *   matches when IoU `>=` the threshold (exactly 0.5 counts at 0.5);
 * - matching is greedy by descending score, ties broken by input index (a
 *   stable sort); a detection takes the unmatched same-class ground truth of
 *   its image with the highest IoU; each ground truth is matched at most
 *   once, so duplicates are false positives;
 * - AP is pycocotools' 101-point interpolation (see
 *   {@link cocoAveragePrecision}); mAP50-95 averages IoU 0.50:0.05:0.95;
 * - classes without ground truth have AP `null` and are left out of the mAP
 *   means (as pycocotools); a class with ground truth and no detections has
 *   AP 0 and counts.
 *
 * Detection order only matters between detections of equal score; with
 * distinct scores the results do not depend on input order. pycocotools
 * breaks cross-image ties by image id instead of input index, so the two
 * agree on ties too when detections are grouped by image in ground-truth
 * order.
 */
import {
  cocoAveragePrecision,
  precisionRecallCurve,
  type PrPoint,
} from './ap.js';
import { confusionMatrix } from './confusion.js';
import {
  COCO_IOU_THRESHOLDS,
  matchClass,
  validateInputs,
  type GroundTruthImage,
  type ImageDetection,
} from './matching.js';

/**
 * COCO 101-point average precision of one class at one IoU threshold, in
 * [0, 1]; `null` when the class has no ground-truth box (undefined, left out
 * of means). Detections of other classes are ignored. `maxDetsPerImage`
 * keeps only that many best-scored detections per image (pycocotools: 100;
 * default: all). Throws `InvariantError` on a detection whose image is not in
 * `groundTruth`, duplicate image ids or non-finite numbers.
 */
export function averagePrecision(
  groundTruth: readonly GroundTruthImage[],
  detections: readonly ImageDetection[],
  classId: number,
  iouThreshold = 0.5,
  maxDetsPerImage?: number,
): number | null {
  validateInputs(groundTruth, detections);
  const m = matchClass(groundTruth, detections, classId, [iouThreshold], maxDetsPerImage);
  return cocoAveragePrecision(m.isTp[0] ?? [], m.gtCount);
}

/** Options of {@link evaluateDetections}. */
export interface EvaluateOptions {
  /** Every class the labels and the model use; fixes the order of `perClass`, `pr` and `confusion`. */
  readonly classIds: readonly number[];
  /** Confidence at or above which a detection is kept for precision, recall and the confusion matrix. Default 0.5. */
  readonly scoreThreshold?: number;
  /** IoU at or above which a kept detection matches, for precision, recall, confusion and `pr`. Default 0.5. AP50 and AP50-95 always use their own thresholds. */
  readonly iouThreshold?: number;
  /** Keep only this many best-scored detections per image and class for AP, precision, recall and `pr` (pycocotools: 100; not applied to `confusion`). Default: all. */
  readonly maxDetsPerImage?: number;
}

/** Metrics of one class. Ratios are in [0, 1]; `null` where undefined. */
export interface ClassMetrics {
  readonly classId: number;
  /** AP at IoU 0.5; `null` when `gtCount` is 0. */
  readonly ap50: number | null;
  /** Mean AP over IoU 0.50:0.05:0.95; `null` when `gtCount` is 0. */
  readonly ap50_95: number | null;
  /** Ground-truth boxes of the class. */
  readonly gtCount: number;
  /** Detections of the class at any score (all of them enter AP), after the `maxDetsPerImage` cap. */
  readonly detCount: number;
  /** TP / detections with `score >= scoreThreshold`; `null` when none is kept. */
  readonly precision: number | null;
  /** TP at `scoreThreshold` / `gtCount`; `null` when `gtCount` is 0. */
  readonly recall: number | null;
}

/** Raw precision-recall curve of one class at `iouThreshold` (see {@link precisionRecallCurve}). */
export interface ClassPrCurve {
  readonly classId: number;
  /** At most 101 points, descending score. */
  readonly points: readonly PrPoint[];
}

/** Result of {@link evaluateDetections}; plain JSON (no `NaN`: undefined values are `null`). */
export interface DetectionEvaluation {
  /** One entry per `classIds` entry, same order. */
  readonly perClass: readonly ClassMetrics[];
  /** Mean of `ap50` over classes with ground truth; `null` when no class has any. */
  readonly map50: number | null;
  /** Mean of `ap50_95` over classes with ground truth; `null` when no class has any. */
  readonly map50_95: number | null;
  /** Micro precision at `scoreThreshold`: all TP / all kept detections; `null` when none is kept. */
  readonly precision: number | null;
  /** Micro recall at `scoreThreshold`: all TP / all ground truth; `null` without ground truth. */
  readonly recall: number | null;
  /** `(C+1)×(C+1)`, rows ground truth, columns prediction, last index background; see {@link confusionMatrix}. */
  readonly confusion: number[][];
  /** One curve per `classIds` entry, same order. */
  readonly pr: readonly ClassPrCurve[];
}

/**
 * Evaluates detections against ground truth with the conventions in this
 * module's header. Pure and deterministic. Throws `InvariantError` (with the
 * fix) when a class is missing from `classIds`, a detection's image has no
 * ground-truth entry, an image id repeats or a number is not finite.
 */
export function evaluateDetections(
  groundTruth: readonly GroundTruthImage[],
  detections: readonly ImageDetection[],
  options: EvaluateOptions,
): DetectionEvaluation {
  const { classIds, scoreThreshold = 0.5, iouThreshold = 0.5, maxDetsPerImage } = options;
  validateInputs(groundTruth, detections, classIds);

  // COCO thresholds first (index 0 is 0.5), then the operating-point threshold.
  const thresholds = [...COCO_IOU_THRESHOLDS, iouThreshold];
  const op = thresholds.length - 1;

  let tpTotal = 0;
  let keptTotal = 0;
  let gtTotal = 0;
  const perClass: ClassMetrics[] = [];
  const pr: ClassPrCurve[] = [];
  for (const classId of classIds) {
    const m = matchClass(groundTruth, detections, classId, thresholds, maxDetsPerImage);
    const aps = COCO_IOU_THRESHOLDS.map((_, t) => cocoAveragePrecision(m.isTp[t] ?? [], m.gtCount));
    const opTp = m.isTp[op] ?? [];
    // Ranked by score, so the kept detections are a prefix.
    const kept = m.detections.filter((d) => d.score >= scoreThreshold).length;
    const tp = opTp.slice(0, kept).filter(Boolean).length;
    tpTotal += tp;
    keptTotal += kept;
    gtTotal += m.gtCount;
    perClass.push({
      classId,
      ap50: aps[0] ?? null,
      ap50_95: mean(aps),
      gtCount: m.gtCount,
      detCount: m.detections.length,
      precision: ratio(tp, kept),
      recall: ratio(tp, m.gtCount),
    });
    pr.push({ classId, points: precisionRecallCurve(m.detections, opTp, m.gtCount) });
  }

  return {
    perClass,
    map50: mean(perClass.map((c) => c.ap50)),
    map50_95: mean(perClass.map((c) => c.ap50_95)),
    precision: ratio(tpTotal, keptTotal),
    recall: ratio(tpTotal, gtTotal),
    confusion: confusionMatrix(groundTruth, detections, classIds, scoreThreshold, iouThreshold),
    pr,
  };
}

/** Mean of the non-null values; `null` when there are none. */
function mean(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return null;
  return defined.reduce((a, b) => a + b, 0) / defined.length;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
