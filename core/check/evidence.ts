/**
 * Image evidence about where an object's edges lie relative to a labeled box, as the
 * vision side measures it. Defined in core so that the pure check can weigh it and
 * vision can produce it without core knowing about pixels.
 */
import type { BoxSide } from '../metrics/index.js';

/** What the image says about one side of a labeled box. */
export interface SideEvidence {
  /**
   * Signed distance in pixels from the object's edge to the labeled side, along the
   * outward normal: positive means the labeled side lies outside the object (loose),
   * negative inside it (tight, cutting the object). Same sign convention as
   * `tightness()` in core/metrics.
   */
  readonly deviationPx: number;
  /**
   * 0..1: how sure the measurement is. 1 = a single strong edge with a quiet band
   * between it and the labeled side; near 0 = no edge, or several equally likely ones.
   */
  readonly confidence: number;
  /**
   * Loose sides only: how much the band between the labeled side and the edge differs
   * from the background just outside the side, relative to the object's contrast with
   * that background (≈ 0: the band is plain background, the side is loose; ≈ 1: the band
   * looks like the object, e.g. a faint outer rim). Undefined when not measured.
   */
  readonly bandContrast?: number;
}

/** Per-side evidence for one box; `null` where the side could not be measured (off-image, flat). */
export type EdgeEvidence = Readonly<Record<BoxSide, SideEvidence | null>>;

/** The four sides in a fixed order (reports list sides in this order). */
export const BOX_SIDES: readonly BoxSide[] = ['left', 'top', 'right', 'bottom'];
