/**
 * The acceptance review's pure parts: the seeded sample the rules draw (a share of the
 * labeled photos, rounded up, at least one) and the accuracy a finished review reports.
 */
import { seededRandom } from './split.js';

/** How many photos the sample holds: ceil(rate × n), at least one (none when n is 0). */
export function sampleSize(n: number, rate: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(rate * n - 1e-9)));
}

/**
 * Draws the acceptance sample from `ids` (the labeled photos) with `seed`: a seeded
 * Fisher–Yates shuffle of the ids in ascending order, first {@link sampleSize} taken, then
 * sorted. The same ids, rate and seed always give the same sample, so a recorded seed
 * shows the same sample again.
 */
export function drawSample(ids: readonly number[], rate: number, seed: number): number[] {
  const pool = [...new Set(ids)].sort((a, b) => a - b);
  const rand = seededRandom(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const a = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = a;
  }
  return pool.slice(0, sampleSize(pool.length, rate)).sort((a, b) => a - b);
}

/** One row of a review as the tally reads it: a box verdict, or a photo-level row (boxId null) with missed objects. */
export interface ReviewRow {
  readonly boxId: number | null;
  readonly verdict: 'pending' | 'qualified' | 'loose' | 'wrong-label';
  readonly missed: number;
}

/** The counts of a review; `accuracy` = qualified / (boxes + missed), null when both are 0. */
export interface ReviewTally {
  boxes: number;
  qualified: number;
  loose: number;
  wrongLabel: number;
  pending: number;
  missed: number;
  accuracy: number | null;
}

/** Counts verdicts and missed objects; a missed object counts as an unqualified box, as the rules judge it. */
export function tallyReview(rows: readonly ReviewRow[]): ReviewTally {
  const t: ReviewTally = { boxes: 0, qualified: 0, loose: 0, wrongLabel: 0, pending: 0, missed: 0, accuracy: null };
  for (const r of rows) {
    if (r.boxId === null) {
      t.missed += r.missed;
      continue;
    }
    t.boxes++;
    if (r.verdict === 'qualified') t.qualified++;
    else if (r.verdict === 'loose') t.loose++;
    else if (r.verdict === 'wrong-label') t.wrongLabel++;
    else t.pending++;
  }
  const all = t.boxes + t.missed;
  t.accuracy = all > 0 ? t.qualified / all : null;
  return t;
}
