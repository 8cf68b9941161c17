import { comboClassIds, correctBoxes, disagreeingCombo, learnCorrections, pairsOf, prelabel, type ComboKey } from '../core/index.js';
import type { ModelBoxPair } from '../store/index.js';
import { snapProposals, type Detector, type RawImage } from '../vision/index.js';

/** A proposed box in the photo's pixels with its exam class and the model's score. */
export interface ScoredBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/**
 * The product's proposal path for one photo, shared by pre-labelling (`ingest/propose.ts`) and
 * the assist model's adoption test (`train/adoption.ts`), so a model is judged on exactly the
 * boxes a contestant would be shown: detection (voting, parts dropped) → classes constrained
 * by the combo → the station's box correction learnt from `history` → snap to strong edges.
 *
 * `modelBoxes` are the model's own boxes (what the correction learns from), `boxes` the proposal.
 */
export async function proposeBoxes(
  detector: Detector,
  image: RawImage,
  size: { width: number; height: number },
  combo: ComboKey,
  history: readonly ModelBoxPair[],
): Promise<{ modelBoxes: ScoredBox[]; boxes: ScoredBox[] }> {
  const detections = await detector.detect(image, { sourceSize: size });
  // The model sure of a class outside the combo keeps its own classes: the message then asks
  // whether the photo belongs to that combo instead of relabelling the boxes silently.
  const ids = comboClassIds(combo);
  const seen = disagreeingCombo(detections, ids);
  const result = prelabel(detections, seen ? [...ids, ...comboClassIds(seen)] : ids, size);
  const modelBoxes = result.boxes.map((b) => ({ ...b.box, classId: b.classId, score: b.score }));
  // The station's own correction, learnt from what this model proposed on the photos the
  // contestant confirmed (core/box-correction.ts; adopted per class only when it wins).
  const corrections = learnCorrections(history.flatMap((h) => pairsOf(h.proposed, h.confirmed)));
  const corrected = correctBoxes(modelBoxes, corrections, size.width, size.height);
  // Sides with strong edge evidence snap to the object (vision/image/snap.ts: raises the
  // share of proposed boxes at IoU ≥ 0.9 on the snap bench).
  return { modelBoxes, boxes: await snapProposals(image, size, corrected) };
}
