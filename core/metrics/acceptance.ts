/**
 * Box-level verdicts of the exam's labeling acceptance: is a contestant's box
 * tight enough against the reference box of the same object?
 */
import { iou, type Box } from './geometry.js';

/** Which edge of a box. */
export type BoxSide = 'left' | 'top' | 'right' | 'bottom';

/**
 * How a labeled box deviates from its reference, in pixels per edge.
 * Positive means the labeled edge lies outside the reference (too loose),
 * negative inside (too tight, cutting the object).
 */
export interface BoxTightness {
  /** IoU of labeled and reference box, in [0, 1]. */
  readonly iou: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Measures a labeled box against the reference box of the same object. */
export function tightness(labeled: Box, reference: Box): BoxTightness {
  return {
    iou: iou(labeled, reference),
    left: reference.x1 - labeled.x1,
    top: reference.y1 - labeled.y1,
    right: labeled.x2 - reference.x2,
    bottom: labeled.y2 - reference.y2,
  };
}

/** Thresholds of {@link judgeBox}; the defaults are the exam's. */
export interface BoxAcceptanceThresholds {
  /** Minimum IoU with the reference, inclusive. Default 0.9. */
  readonly minIou?: number;
  /** Each edge may be off by `max(sideTolerancePx, sideToleranceFraction × side)`. Default 2 px. */
  readonly sideTolerancePx?: number;
  /**
   * Fraction of the reference side length: the width for left/right edges,
   * the height for top/bottom edges. Default 0.02 (2 %).
   */
  readonly sideToleranceFraction?: number;
}

/** Why a box failed. */
export type BoxDefect =
  | { readonly kind: 'low-iou'; readonly iou: number; readonly minIou: number }
  | {
      readonly kind: 'side-off';
      readonly side: BoxSide;
      /** Signed, as in {@link BoxTightness}. */
      readonly deviationPx: number;
      readonly tolerancePx: number;
    };

/** Verdict on one labeled box; every failing check is listed. */
export type BoxVerdict =
  | { readonly kind: 'qualified'; readonly tightness: BoxTightness }
  | { readonly kind: 'unqualified'; readonly tightness: BoxTightness; readonly defects: readonly BoxDefect[] };

/**
 * Judges a labeled box against the reference: qualified when IoU `>=`
 * `minIou` and every edge is within its tolerance (inclusive, absolute
 * deviation, either direction).
 */
export function judgeBox(
  labeled: Box,
  reference: Box,
  thresholds: BoxAcceptanceThresholds = {},
): BoxVerdict {
  const { minIou = 0.9, sideTolerancePx = 2, sideToleranceFraction = 0.02 } = thresholds;
  const t = tightness(labeled, reference);
  const width = reference.x2 - reference.x1;
  const height = reference.y2 - reference.y1;
  const defects: BoxDefect[] = [];
  if (t.iou < minIou) defects.push({ kind: 'low-iou', iou: t.iou, minIou });
  const sides: readonly [BoxSide, number][] = [
    ['left', width],
    ['top', height],
    ['right', width],
    ['bottom', height],
  ];
  for (const [side, length] of sides) {
    const tolerancePx = Math.max(sideTolerancePx, sideToleranceFraction * length);
    const deviationPx = t[side];
    if (Math.abs(deviationPx) > tolerancePx) defects.push({ kind: 'side-off', side, deviationPx, tolerancePx });
  }
  return defects.length === 0
    ? { kind: 'qualified', tightness: t }
    : { kind: 'unqualified', tightness: t, defects };
}

/** Shorthand for `judgeBox(...).kind === 'qualified'`. */
export function isBoxQualified(
  labeled: Box,
  reference: Box,
  thresholds?: BoxAcceptanceThresholds,
): boolean {
  return judgeBox(labeled, reference, thresholds).kind === 'qualified';
}
