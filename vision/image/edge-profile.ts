/**
 * Reads an edge profile across one side of a box: where does the object begin, and how
 * sure is that? Pure arithmetic on a 1-D array, so it can be tested without images.
 *
 * The profile's element `i` is the edge strength at inward offset `i - radius` from the
 * labeled side (negative: outside the box). Outside an object lies background, whose
 * strength is low ("quiet"); the object's outline and inside are "active". An object's
 * edge is where quiet turns active: searched inward when the labeled side is quiet (a
 * loose box has plain background there), outward when it is active (a tight box cuts
 * through the object, which goes on outside).
 */

/** Thresholds of {@link locateEdge}; the defaults were tuned with `npm run bench -- check`. */
export interface EdgeProfileOptions {
  /** Weakest step (0..255 levels) that is ever active, whatever the background. */
  readonly minStep?: number;
  /** Active means at least this many times the background level (the median outside the box). */
  readonly activeFactor?: number;
  /** Edge-to-background ratios between which confidence goes from none to full. */
  readonly weakSnr?: number;
  readonly strongSnr?: number;
  /** Quiet offsets in a row that end an object when searching outward. */
  readonly quietRun?: number;
}

const DEFAULTS: Required<EdgeProfileOptions> = { minStep: 6, activeFactor: 3, weakSnr: 4, strongSnr: 12, quietRun: 2 };

/** Where the edge is, in the profile's inward offsets, and how sure. */
export interface LocatedEdge {
  /** Inward offset of the object's edge from the labeled side, sub-pixel; negative = outside. */
  readonly offset: number;
  /** 0..1, see `SideEvidence.confidence`. */
  readonly confidence: number;
}

/**
 * Locates the object's edge near the labeled side (see the file comment). Confidence is
 * the edge's strength over the background (`weakSnr..strongSnr` mapped to 0..1), halved
 * when the band crossed on the way is not plain. Returns null when nothing is active in
 * the window (a flat region: nothing to say).
 */
export function locateEdge(profile: ArrayLike<number>, radius: number, options: EdgeProfileOptions = {}): LocatedEdge | null {
  const o = { ...DEFAULTS, ...options };
  const n = profile.length;
  const at = (i: number): number => (i >= 0 && i < n ? (profile[i] ?? 0) : 0);
  const outside = Array.from({ length: Math.max(1, radius - 1) }, (_, i) => at(i));
  const background = Math.max(1, median(outside));
  const active = Math.max(o.minStep, o.activeFactor * background);
  const isActive = (i: number): boolean => at(i) >= active;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, at(i));
  if (peak < active) return null;

  const isSideActive = isActive(radius - 1) || isActive(radius) || isActive(radius + 1);
  let edge: number;
  let band = background;
  if (!isSideActive) {
    let i = radius + 2;
    while (i < n && !isActive(i)) band = Math.max(band, at(i++));
    if (i >= n) return null;
    edge = risePosition(at, i);
  } else {
    // Walk outward while the object goes on: active, or quiet for less than `quietRun`.
    let last = radius + 1;
    let quiet = 0;
    for (let i = radius; i >= 0 && quiet < o.quietRun; i--) {
      if (isActive(i)) {
        last = i;
        quiet = 0;
      } else quiet++;
    }
    if (last > radius - 1) last = Math.min(last, radius);
    edge = risePosition(at, last);
  }
  let peakNear = 0;
  for (let i = Math.max(0, Math.floor(edge) - 1); i <= Math.min(n - 1, Math.ceil(edge) + 2); i++) peakNear = Math.max(peakNear, at(i));
  const strength = clamp01((peakNear / background - o.weakSnr) / (o.strongSnr - o.weakSnr));
  const quietness = 1 - 0.5 * clamp01((band - background) / Math.max(1, active - background));
  return { offset: edge - radius, confidence: strength * quietness };
}

/**
 * Sub-pixel position of the edge whose first active index, met moving inward from quiet
 * background, is `i`: the centroid of the first maximum at or after it (a blurred or
 * shaded outline rises over a pixel or two; its first maximum is the outline).
 */
function risePosition(at: (i: number) => number, i: number): number {
  let m = i;
  while (at(m + 1) > at(m) && m - i < 3) m++;
  const a = at(m - 1);
  const b = at(m);
  const c = at(m + 1);
  return m + (c - a) / Math.max(1e-9, a + b + c);
}

function median(values: number[]): number {
  const s = values.sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
