/**
 * The reports print the chat's numbers; they do not recompute them. This check
 * refuses an acceptance sample whose accuracy disagrees with its own counts, so a
 * bug upstream cannot put two different figures in front of a judge.
 */
import { InvariantError } from '../core/index.js';
import type { AcceptanceSample } from './types.js';

/** Throws when qualified/total, the box and missed counts and the accuracy disagree. */
export function assertAcceptanceConsistent(a: AcceptanceSample): void {
  const boxes = a.photos.reduce((s, p) => s + p.boxes.length, 0);
  const missed = a.photos.reduce((s, p) => s + p.missed, 0);
  const qualified = a.photos.reduce((s, p) => s + p.boxes.filter((b) => b.verdict === 'qualified').length, 0);
  const problems: string[] = [];
  if (boxes + missed !== a.total) problems.push(`total ${a.total} ≠ boxes ${boxes} + missed ${missed}`);
  if (qualified !== a.qualified) problems.push(`qualified ${a.qualified} ≠ ${qualified} boxes marked qualified`);
  const expected = a.total === 0 ? 0 : a.qualified / a.total;
  if (Math.abs(expected - a.accuracy) > 1e-9) problems.push(`accuracy ${a.accuracy} ≠ qualified/total ${expected}`);
  if (problems.length > 0) throw new InvariantError(`acceptance sample is inconsistent: ${problems.join('; ')}; pass the review's recorded figures unchanged`);
}
