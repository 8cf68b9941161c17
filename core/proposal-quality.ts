import { iou } from './metrics/index.js';

/**
 * How good proposals are against the boxes a contestant confirmed: the one-tap rule (the
 * `prelabel` bench's definition, shared with the product's assist adoption) and the mean IoU
 * of each confirmed box with the best proposal of its class.
 */

/** A box in image pixels with its exam class id. */
export interface QualityBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** IoU a proposal must reach with the right class for the photo to be one tap. */
export const ONE_TAP_IOU = 0.9;

/**
 * One tap: every true box has a proposal of its class at IoU ≥ 0.9 and there is nothing
 * extra (as many proposals as true boxes) — Confirm alone makes a label the judge accepts.
 */
export function isOneTap(proposal: readonly QualityBox[], truth: readonly QualityBox[]): boolean {
  const matched = truth.every((g) => proposal.some((p) => p.classId === g.classId && iou(p, g) >= ONE_TAP_IOU));
  return matched && proposal.length === truth.length;
}

/** Proposal quality over a set of photos. */
export interface ProposalQuality {
  photos: number;
  /** Photos whose proposal is one tap. */
  oneTap: number;
  /** Mean over the true boxes of the best IoU of a proposal of the same class (0 when none). */
  meanIou: number;
}

/** Scores the proposals of each photo against its true boxes. */
export function proposalQuality(photos: ReadonlyArray<{ proposal: readonly QualityBox[]; truth: readonly QualityBox[] }>): ProposalQuality {
  let oneTap = 0;
  let sum = 0;
  let boxes = 0;
  for (const { proposal, truth } of photos) {
    if (isOneTap(proposal, truth)) oneTap++;
    for (const g of truth) {
      sum += Math.max(0, ...proposal.filter((p) => p.classId === g.classId).map((p) => iou(p, g)));
      boxes++;
    }
  }
  return { photos: photos.length, oneTap, meanIou: boxes ? sum / boxes : 0 };
}

/** What the assist adoption test compares: proposals on the held-out photos and val mAP@0.5:0.95. */
export interface AssistScore {
  quality: ProposalQuality;
  map50_95: number;
}

/**
 * Whether a new assist model replaces the current pre-labeler: more held-out photos one tap
 * through the product's proposal path wins; as many, a higher val mAP@0.5:0.95 wins; a tie keeps
 * the current one. The mean IoU of the proposals is not compared: a photo the contestant
 * confirmed with one tap has the current model's proposal as its label (IoU 1.000), so the
 * current model would win every such comparison by construction; one-tap (IoU ≥ 0.9) asks only
 * whether the new model's boxes would have been accepted too.
 */
export function assistWins(challenger: AssistScore, incumbent: AssistScore): boolean {
  if (challenger.quality.oneTap !== incumbent.quality.oneTap) return challenger.quality.oneTap > incumbent.quality.oneTap;
  return challenger.map50_95 > incumbent.map50_95;
}
