/**
 * Reads an edge profile across one side of a box: where is the object's edge, and how
 * sure is that? Pure arithmetic on a 1-D array, so it can be tested without images.
 */

/** Thresholds of {@link locateEdge}; the defaults were tuned with `npm run bench -- check`. */
export interface EdgeProfileOptions {
  /**
   * Weakest step (0..255 levels, largest channel difference between neighbouring pixels)
   * that can be an object edge. Sensor noise and JPEG ringing on the synthetic and real
   * photos stay below it after the light pre-blur.
   */
  readonly minStep?: number;
  /** A candidate edge must reach this share of the window's strongest step. */
  readonly relativeStep?: number;
  /** A step this strong (levels) counts as full-strength evidence. */
  readonly strongStep?: number;
}

const DEFAULTS: Required<EdgeProfileOptions> = { minStep: 14, relativeStep: 0.3, strongStep: 45 };

/** Where the edge is, in the profile's inward offsets, and how sure. */
export interface LocatedEdge {
  /** Inward offset of the edge from the labeled side's boundary index, sub-pixel. */
  readonly offset: number;
  /** 0..1, see `SideEvidence.confidence`. */
  readonly confidence: number;
  /** The edge's step strength (levels). */
  readonly strength: number;
}

/**
 * Finds the object edge nearest the labeled side in `profile`, whose element `i` is the
 * edge strength at inward offset `i - radius` (negative: outside the box). Candidates are
 * local maxima above `max(minStep, relativeStep × peak)`; the nearest one wins (ties go
 * inward, since the labeled side is more often loose than tight). Confidence is the
 * product of the edge's strength (relative to `strongStep`) and how quiet the band
 * between the labeled side and the edge is (a loose box has plain background there).
 * Returns null when there is no candidate at all.
 */
export function locateEdge(profile: ArrayLike<number>, radius: number, options: EdgeProfileOptions = {}): LocatedEdge | null {
  const o = { ...DEFAULTS, ...options };
  const n = profile.length;
  const at = (i: number): number => (i >= 0 && i < n ? (profile[i] ?? 0) : 0);
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, at(i));
  const threshold = Math.max(o.minStep, o.relativeStep * peak);
  let best = -1;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (v < threshold || v < at(i - 1) || v <= at(i + 1)) continue;
    if (best === -1) {
      best = i;
      continue;
    }
    const d = Math.abs(i - radius);
    const bd = Math.abs(best - radius);
    if (d < bd || (d === bd && i > best)) best = i;
  }
  if (best === -1) return null;
  const a = at(best - 1);
  const b = at(best);
  const c = at(best + 1);
  const sum = a + b + c;
  const offset = best - radius + (sum > 0 ? (c - a) / sum : 0);
  let band = 0;
  const lo = Math.min(radius, best);
  const hi = Math.max(radius, best);
  for (let i = lo; i <= hi; i++) if (Math.abs(i - best) > 1) band = Math.max(band, at(i));
  const quiet = Math.max(0, 1 - band / b);
  const strength = Math.min(1, Math.max(0, (b - o.minStep) / (o.strongStep - o.minStep)));
  return { offset, confidence: quiet * strength, strength: b };
}
