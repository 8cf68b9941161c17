/**
 * Capture-plan-like combos for synthetic datasets.
 */
import { createRng } from './rng.js';
import type { SynthClass } from './types.js';

/** Every combo of 1..min(3, classes) distinct class keys, keys in class-id order: singles, then pairs, then triples. */
export function allCombos(classes: readonly SynthClass[]): string[][] {
  const keys = [...classes].sort((a, b) => a.id - b.id).map((c) => c.key);
  const out: string[][] = [];
  const walk = (start: number, picked: string[], size: number): void => {
    if (picked.length === size) {
      out.push(picked.slice());
      return;
    }
    for (let i = start; i < keys.length; i++) {
      picked.push(keys[i] as string);
      walk(i + 1, picked, size);
      picked.pop();
    }
  };
  for (let size = 1; size <= Math.min(3, keys.length); size++) walk(0, [], size);
  return out;
}

/**
 * `count` combos that cycle through {@link allCombos}: each full cycle holds every combo
 * exactly once, in an order shuffled per cycle from `seed` (same seed ⇒ same plan).
 * A run of `allCombos(classes).length` therefore covers the whole exam plan.
 */
export function planCombos(classes: readonly SynthClass[], count: number, seed: number): string[][] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (count === 0) return [];
  const combos = allCombos(classes);
  if (combos.length === 0) throw new RangeError('planCombos needs at least one class');
  const rng = createRng(seed);
  const out: string[][] = [];
  while (out.length < count) {
    for (const combo of rng.shuffle(combos)) {
      if (out.length === count) break;
      out.push(combo.slice());
    }
  }
  return out;
}
