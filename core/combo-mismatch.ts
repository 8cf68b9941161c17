import { comboKey, type ComboKey } from './plan.js';
import type { Detection } from './prelabel.js';

/**
 * When the detector's own classes disagree with the photo's combo (issue 11 point 6): a
 * confident detection of a class outside the combo is never relabelled silently into the
 * combo. Pre-labeling then keeps the model's classes, and the photo's message asks whether
 * the photo belongs to the combo the detector sees.
 */

/** A detection at least this sure counts as the model's word on what is in the photo. */
export const CONFIDENT_SCORE = 0.5;

/**
 * The combo the confident detections make up, when it has a class outside `comboClassIds`;
 * `undefined` when the model agrees with the combo (or is not sure of anything).
 */
export function disagreeingCombo(detections: readonly Detection[], comboClassIds: readonly number[], minScore = CONFIDENT_SCORE): ComboKey | undefined {
  const seen = [...new Set(detections.filter((d) => d.score >= minScore).map((d) => d.classId))];
  if (seen.length === 0 || seen.every((c) => comboClassIds.includes(c))) return undefined;
  return comboKey(seen);
}

/**
 * The combo a stored model proposal shows (its boxes' classes), when it differs from the photo's
 * combo by a class outside it; `undefined` otherwise (human edits, agreement, no boxes).
 */
export function proposalDisagreement(boxes: ReadonlyArray<{ classId: number; source: string }>, photoCombo: ComboKey): ComboKey | undefined {
  if (boxes.length === 0 || boxes.some((b) => b.source !== 'model')) return undefined;
  const combo = photoCombo.split('+').map(Number);
  const seen = [...new Set(boxes.map((b) => b.classId))];
  return seen.some((c) => !combo.includes(c)) ? comboKey(seen) : undefined;
}
