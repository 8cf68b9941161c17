import { iou, type Box } from './metrics/index.js';

/**
 * A station's own box correction (issue 14 point 3): on a rig the same few meters appear in
 * every photo, and a model's boxes around one of them tend to miss the contestant's tight box
 * the same way (the bezel's shadow included, the lower edge high). From the photos the
 * contestant confirmed, the offsets of each confirmed box from the model's box of its class
 * are learnt (relative to the model box's size, the median of the newest pairs) and added to
 * that class's next proposals — only when leaving each pair out and predicting it from the
 * others makes the boxes tighter (it is adopted only when it wins).
 */

/** A box with its exam class id. */
export interface ClassBox extends Box {
  readonly classId: number;
}

/** One model box and the box the contestant confirmed for the same meter. */
export interface CorrectionPair {
  readonly classId: number;
  readonly proposed: Box;
  readonly confirmed: Box;
}

/** Offsets of x1, y1, x2, y2 as shares of the model box's width / height. */
export type Offsets = readonly [number, number, number, number];

/** A learnt correction of one class. */
export interface ClassCorrection {
  readonly classId: number;
  readonly offsets: Offsets;
  /** Pairs it was learnt from. */
  readonly pairs: number;
  /** Mean IoU gain when each pair is predicted from the others (leave one out). */
  readonly gain: number;
}

export const CORRECTION_DEFAULTS = {
  /** Pairs of a class needed before its correction is tried (3 confirmed photos). */
  minPairs: 3,
  /** Only the newest pairs of a class count (the rig or the light may change). */
  maxPairs: 12,
  /** Mean leave-one-out IoU gain needed to adopt the correction. */
  minGain: 0.005,
  /** A model box and a confirmed box are one meter from this IoU. */
  matchIou: 0.5,
} as const;

/** Pairs of one photo: each confirmed box with the best model box of its class (IoU ≥ `matchIou`). */
export function pairsOf(proposed: readonly ClassBox[], confirmed: readonly ClassBox[], matchIou: number = CORRECTION_DEFAULTS.matchIou): CorrectionPair[] {
  const all: Array<{ p: number; g: number; v: number }> = [];
  proposed.forEach((p, pi) => confirmed.forEach((g, gi) => p.classId === g.classId && all.push({ p: pi, g: gi, v: iou(p, g) })));
  all.sort((a, b) => b.v - a.v);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  const out: CorrectionPair[] = [];
  for (const { p, g, v } of all) {
    if (v < matchIou) break;
    if (usedP.has(p) || usedG.has(g)) continue;
    usedP.add(p);
    usedG.add(g);
    const a = proposed[p]!;
    const b = confirmed[g]!;
    out.push({ classId: a.classId, proposed: { x1: a.x1, y1: a.y1, x2: a.x2, y2: a.y2 }, confirmed: { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 } });
  }
  return out;
}

function offsetsOf(p: CorrectionPair): Offsets {
  const w = p.proposed.x2 - p.proposed.x1;
  const h = p.proposed.y2 - p.proposed.y1;
  return [(p.confirmed.x1 - p.proposed.x1) / w, (p.confirmed.y1 - p.proposed.y1) / h, (p.confirmed.x2 - p.proposed.x2) / w, (p.confirmed.y2 - p.proposed.y2) / h];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function medianOffsets(list: readonly Offsets[]): Offsets {
  return [0, 1, 2, 3].map((i) => median(list.map((o) => o[i]!))) as unknown as Offsets;
}

/** `box` moved by `offsets` (shares of its own size); unchanged when the result would be empty. */
export function applyOffsets<B extends Box>(box: B, offsets: Offsets): B {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const x1 = box.x1 + offsets[0] * w;
  const y1 = box.y1 + offsets[1] * h;
  const x2 = box.x2 + offsets[2] * w;
  const y2 = box.y2 + offsets[3] * h;
  return x2 > x1 && y2 > y1 ? { ...box, x1, y1, x2, y2 } : box;
}

/**
 * Corrections per class from `pairs` (newest first): for each class with at least `minPairs`
 * pairs, the median offsets of its newest `maxPairs`; kept only when the leave-one-out gain
 * reaches `minGain`.
 */
export function learnCorrections(pairs: readonly CorrectionPair[], opts: Partial<Record<keyof typeof CORRECTION_DEFAULTS, number>> = {}): Map<number, ClassCorrection> {
  const o = { ...CORRECTION_DEFAULTS, ...opts };
  const byClass = new Map<number, CorrectionPair[]>();
  for (const p of pairs) {
    const list = byClass.get(p.classId) ?? [];
    if (list.length < o.maxPairs && p.proposed.x2 > p.proposed.x1 && p.proposed.y2 > p.proposed.y1) list.push(p);
    byClass.set(p.classId, list);
  }
  const out = new Map<number, ClassCorrection>();
  for (const [classId, list] of byClass) {
    if (list.length < o.minPairs) continue;
    const offs = list.map(offsetsOf);
    let gain = 0;
    list.forEach((p, i) => {
      const others = medianOffsets(offs.filter((_, j) => j !== i));
      gain += iou(applyOffsets(p.proposed, others), p.confirmed) - iou(p.proposed, p.confirmed);
    });
    gain /= list.length;
    if (gain >= o.minGain) out.set(classId, { classId, offsets: medianOffsets(offs), pairs: list.length, gain });
  }
  return out;
}

/** Boxes with their class's correction applied (others unchanged). */
export function correctBoxes<B extends ClassBox>(boxes: readonly B[], corrections: ReadonlyMap<number, ClassCorrection>, width: number, height: number): B[] {
  return boxes.map((b) => {
    const c = corrections.get(b.classId);
    if (!c) return b;
    const m = applyOffsets(b, c.offsets);
    return { ...m, x1: Math.max(0, m.x1), y1: Math.max(0, m.y1), x2: Math.min(width, m.x2), y2: Math.min(height, m.y2) };
  });
}
