/**
 * How good a photo's proposal is against its true boxes: the `prelabel` bench's one-tap
 * rule and the real-photo measures of the `prelabel-real` bench.
 */
import { iou, isOneTap, ONE_TAP_IOU } from '../../core/index.js';

interface ClassBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
type Region = Omit<ClassBox, 'classId'>;

/** IoU at which a proposal has found the object (recall). */
export const FOUND_IOU = 0.5;

/** What a proposal did on one photo (class-agnostic matching for found / IoU / false boxes). */
export interface PhotoScore {
  truth: number;
  /** True boxes with a proposal at IoU ≥ 0.5 (one proposal per true box, best IoU first). */
  found: number;
  /** IoU of each found box with its proposal. */
  ious: number[];
  /** Proposals that found nothing and do not lie mainly (≥ 50 % of their area) in an ignore region. */
  falseBoxes: number;
  isOneTap: boolean;
  /**
   * Editor corrections this proposal needs to become the true label: each true box without a
   * proposal of its class at IoU ≥ 0.9 is one (move/resize, relabel or draw), each proposal
   * left over is one (delete).
   */
  corrections: number;
}

function insideShare(b: Region, r: Region): number {
  const w = Math.max(0, Math.min(b.x2, r.x2) - Math.max(b.x1, r.x1));
  const h = Math.max(0, Math.min(b.y2, r.y2) - Math.max(b.y1, r.y1));
  const area = (b.x2 - b.x1) * (b.y2 - b.y1);
  return area > 0 ? (w * h) / area : 0;
}

/** Scores one photo's proposal. */
export function scorePhoto(proposal: readonly ClassBox[], truth: readonly ClassBox[], ignore: readonly Region[] = []): PhotoScore {
  const pairs: Array<{ p: number; g: number; v: number }> = [];
  proposal.forEach((p, pi) => truth.forEach((g, gi) => pairs.push({ p: pi, g: gi, v: iou(p, g) })));
  pairs.sort((a, b) => b.v - a.v);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  const ious: number[] = [];
  for (const { p, g, v } of pairs) {
    if (v < FOUND_IOU) break;
    if (usedP.has(p) || usedG.has(g)) continue;
    usedP.add(p);
    usedG.add(g);
    ious.push(v);
  }
  const falseBoxes = proposal.filter((p, i) => !usedP.has(i) && !ignore.some((r) => insideShare(p, r) >= 0.5)).length;

  // Corrections: tight, right-class matches need nothing; every other true box one edit; leftovers one delete each.
  const tight = new Set<number>();
  let good = 0;
  for (const g of truth) {
    const i = proposal.findIndex((p, pi) => !tight.has(pi) && p.classId === g.classId && iou(p, g) >= ONE_TAP_IOU);
    if (i >= 0) {
      tight.add(i);
      good++;
    }
  }
  const corrections = truth.length - good + Math.max(0, proposal.length - tight.size - (truth.length - good));
  return { truth: truth.length, found: ious.length, ious, falseBoxes, isOneTap: isOneTap(proposal, truth), corrections };
}
