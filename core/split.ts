/**
 * Deterministic train/val split, stratified by combo so every kind of photo is in
 * both halves. The same items, rate and seed always give the same split; the worker
 * writes it into the trainer's manifest and evaluates the exported model on the same
 * val photos.
 */

/** mulberry32: a small seeded PRNG, 0 ≤ x < 1. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function splitDataset<T extends { id: number; combo: string }>(
  items: readonly T[],
  valRate: number,
  seed: number,
): Map<number, 'train' | 'val'> {
  const byCombo = new Map<string, T[]>();
  for (const it of [...items].sort((a, b) => a.id - b.id)) {
    const list = byCombo.get(it.combo) ?? [];
    list.push(it);
    byCombo.set(it.combo, list);
  }
  const out = new Map<number, 'train' | 'val'>();
  const rand = seededRandom(seed);
  for (const combo of [...byCombo.keys()].sort()) {
    const list = byCombo.get(combo) ?? [];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j] as T, list[i] as T];
    }
    // At least one val photo per combo once it has 3, never all of them.
    const nVal = list.length >= 3 ? Math.max(1, Math.round(list.length * valRate)) : 0;
    list.forEach((it, i) => out.set(it.id, i < nVal ? 'val' : 'train'));
  }
  return out;
}
