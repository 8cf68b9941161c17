/**
 * Loose and tight sides: a labeled box weighed against the object's edges in the image
 * and, when there is one, the detector's box for the same object.
 */
import { iou, tightness, type Box, type BoxSide } from '../metrics/index.js';
import { BOX_SIDES, type EdgeEvidence } from './evidence.js';
import {
  BAND_EDGE_CONFIDENCE,
  DETECTOR_AGREEMENT_PX,
  DETECTOR_MATCH_IOU,
  FLAG_TOLERANCE_FACTOR,
  JUDGE_TOLERANCE_FRACTION,
  JUDGE_TOLERANCE_PX,
  MIN_FLAG_PX,
  PLAIN_BAND_CONTRAST,
  PLAIN_BAND_FLAG_FACTOR,
  STRONG_EDGE_CONFIDENCE,
  TIGHT_FLAG_FACTOR,
  WEAK_EDGE_CONFIDENCE,
} from './thresholds.js';
import type { CheckBox, CheckDetection, SideOff } from './types.js';

/** Sides a box is off by beyond the flag threshold, split by direction. */
export interface BoxFit {
  readonly loose: readonly SideOff[];
  readonly tight: readonly SideOff[];
  /** Whether a matching detection agreed with every flagged side. */
  readonly isDetectorAgreeing: boolean;
}

/** The deviation (px) beyond which a side of `box` is flagged: clearly past the judge's tolerance. */
export function flagThresholdPx(box: Box, side: BoxSide): number {
  const length = side === 'left' || side === 'right' ? box.x2 - box.x1 : box.y2 - box.y1;
  const tolerance = Math.max(JUDGE_TOLERANCE_PX, JUDGE_TOLERANCE_FRACTION * length);
  return Math.max(MIN_FLAG_PX, FLAG_TOLERANCE_FACTOR * tolerance);
}

/** The detection of the same class with the highest IoU ≥ {@link DETECTOR_MATCH_IOU}, if any. */
export function matchDetection(box: CheckBox, detections: readonly CheckDetection[]): CheckDetection | undefined {
  let best: CheckDetection | undefined;
  let bestIou = DETECTOR_MATCH_IOU;
  for (const d of detections) {
    if (d.classId !== box.classId) continue;
    const v = iou(box, d);
    if (v >= bestIou) {
      best = d;
      bestIou = v;
    }
  }
  return best;
}

/**
 * Judges each side: flagged when the edge evidence puts it beyond {@link flagThresholdPx}
 * and is either strong on its own, or weaker but confirmed by the detector (same direction,
 * close to the same position), or — loose sides — weaker with plain background between
 * the side and the edge (`bandContrast`), which also lowers its flag threshold
 * ({@link PLAIN_BAND_FLAG_FACTOR}). A tight side needs strong edges, the detector's word and
 * twice the deviation ({@link TIGHT_FLAG_FACTOR}): walking outward from a side that sits on
 * the object, a shadow or clutter next to the object looks like more object.
 * The detector alone never flags a side: its boxes are a few pixels off often enough to
 * cost more than they find.
 */
export function fitBox(box: CheckBox, edges: EdgeEvidence, detection: CheckDetection | undefined): BoxFit {
  const det = detection ? tightness(box, detection) : undefined;
  const loose: SideOff[] = [];
  const tight: SideOff[] = [];
  let isDetectorAgreeing = true;
  for (const side of BOX_SIDES) {
    const e = edges[side];
    if (!e) continue;
    const dev = e.deviationPx;
    const isPlainBand = e.bandContrast !== undefined && e.bandContrast <= PLAIN_BAND_CONTRAST && e.confidence >= BAND_EDGE_CONFIDENCE;
    const factor = dev < 0 ? TIGHT_FLAG_FACTOR : isPlainBand ? PLAIN_BAND_FLAG_FACTOR : 1;
    if (Math.abs(dev) <= flagThresholdPx(box, side) * factor) continue;
    const detDev = det?.[side];
    const agrees =
      detDev !== undefined &&
      Math.sign(detDev) === Math.sign(dev) &&
      Math.abs(detDev - dev) <= Math.max(DETECTOR_AGREEMENT_PX, Math.abs(dev) / 2);
    const isConfident =
      dev > 0
        ? e.confidence >= STRONG_EDGE_CONFIDENCE || (agrees && e.confidence >= WEAK_EDGE_CONFIDENCE) || isPlainBand
        : agrees && e.confidence >= STRONG_EDGE_CONFIDENCE;
    if (!isConfident) continue;
    if (!agrees) isDetectorAgreeing = false;
    (dev > 0 ? loose : tight).push({ side, px: Math.round(dev * 10) / 10 });
  }
  return { loose, tight, isDetectorAgreeing: isDetectorAgreeing && det !== undefined };
}
