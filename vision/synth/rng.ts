/**
 * Small seeded pseudo-random generator for the synthetic rig generator.
 *
 * Everything the generator draws comes from here so that the same seed always gives
 * the same bytes; `Math.random` is never used.
 */

/** A seeded source of pseudo-random numbers with the helpers the scene code needs. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Approximately normal (mean 0, sd 1): the Irwin–Hall sum of four uniforms, bounded to ±3.5. */
  gauss(): number;
  /** A new array with the items in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this one, so sub-parts do not shift each other's draws. */
  fork(): Rng;
}

/** Scrambles a user seed so that neighbouring seeds (1, 2, 3…) start far apart. */
function scramble(seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Creates a mulberry32 generator. Any finite number is accepted as a seed; it is
 * truncated to 32 bits after mixing in its high part so large seeds still differ.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  let state = scramble((whole | 0) ^ scramble(Math.floor(whole / 2 ** 32) | 0));

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const rng: Rng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    gauss: () => (next() + next() + next() + next() - 2) * Math.sqrt(3),
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as (typeof out)[number];
        out[i] = out[j] as (typeof out)[number];
        out[j] = tmp;
      }
      return out;
    },
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}
