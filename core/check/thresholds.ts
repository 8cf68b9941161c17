/**
 * Thresholds of the pre-acceptance check. The exam's rule is "the minimal enclosing
 * rectangle on all four sides"; `judgeBox`'s defaults (2 px or 2 % of the side) are the
 * reference scale. A check that flags good boxes costs the contestant minutes, so every
 * threshold sits clearly beyond that scale; `npm run bench -- check` measures the false
 * alarms and detection rates they give.
 */

/** The judge's per-side tolerance: `max(JUDGE_TOLERANCE_PX, JUDGE_TOLERANCE_FRACTION × side)` (judgeBox's defaults). */
export const JUDGE_TOLERANCE_PX = 2;
export const JUDGE_TOLERANCE_FRACTION = 0.02;

/**
 * A side is flagged only when it is off by more than this many times the judge's
 * tolerance, and by at least {@link MIN_FLAG_PX}: edge measurements scatter by about a
 * pixel (anti-aliasing, blur, JPEG), so deviations just past the tolerance are noise.
 */
export const FLAG_TOLERANCE_FACTOR = 1.5;
/** Smallest deviation ever flagged, px (see {@link FLAG_TOLERANCE_FACTOR}). */
export const MIN_FLAG_PX = 4;
/**
 * A tight side must be off by this many times the loose threshold. Measured on 100
 * synthetic photos with exact boxes: at 1× the edges and the detector together called
 * 2.3 % of boxes tight (a cast shadow next to the object looks like more object to both);
 * at 2× none.
 */
export const TIGHT_FLAG_FACTOR = 2;

/**
 * Edge evidence at or above this confidence flags a side on its own: one clear edge
 * with plain background between it and the labeled side.
 */
export const STRONG_EDGE_CONFIDENCE = 0.7;
/**
 * Edge evidence at or above this confidence flags a loose side when the detector's box for the
 * same object agrees (same direction, within {@link DETECTOR_AGREEMENT_PX} or half the
 * deviation). Below it the image says too little: a dark bezel on a dark panel.
 */
export const WEAK_EDGE_CONFIDENCE = 0.3;
/**
 * A loose side whose band between the labeled side and the edge is plain background
 * (`bandContrast` at most {@link PLAIN_BAND_CONTRAST}) is flagged with edge evidence of
 * this confidence or more, without the detector: any located edge. On 100 synthetic
 * photos with exact boxes (`npm run bench -- check`, seed 21) the band of a loose side
 * measured 0.01–0.1, while every exact box whose profile put an edge inside it (a faint
 * outer rim, a bezel step) measured 0.16–2.6 below confidence 0.2 and mostly 0.2–0.85
 * above. Held out (seeds 33 and 47, 343 boxes): +6 px sides found 37→51 % and 39→56 %,
 * false alarms unchanged (1.2 % and 0 %).
 */
export const BAND_EDGE_CONFIDENCE = 0;
/** See {@link BAND_EDGE_CONFIDENCE}. */
export const PLAIN_BAND_CONTRAST = 0.1;
/**
 * A loose side with a plain band is flagged beyond this share of {@link flagThresholdPx}
 * (3 px instead of 4 on a small box): with plain background on both sides of the labeled
 * side the measurement scatters less. Measured on seeds 21, 33 and 47 (514 exact boxes):
 * +6 px sides found 56→61 %, 51→55 %, 56→59 %; false alarms 3, 2→3 and 0 boxes (0.6 gave
 * 4 on each: 2.3 %).
 */
export const PLAIN_BAND_FLAG_FACTOR = 0.75;
/** How close the detector's side must be to the edge evidence to count as agreeing, px. */
export const DETECTOR_AGREEMENT_PX = 3;
/** A detection is the same object as a labeled box at this IoU or more (and the same class). */
export const DETECTOR_MATCH_IOU = 0.5;

/**
 * Two boxes with at least this IoU (any classes) are taken to be one object boxed
 * twice. Rig meters never overlap that much; partly hidden gauges overlap far less.
 */
export const OVERLAP_IOU = 0.5;
/**
 * Two boxes of the same class where the smaller lies this much inside the larger
 * (intersection over the smaller area) also count as one object boxed twice: e.g. a
 * box on the dial inside the box on the whole meter.
 */
export const NESTED_FRACTION = 0.8;

/**
 * A box with a side shorter than this (px) is a slip of the finger, not a meter: the
 * exam rig's meters are tens of pixels even on small photos.
 */
export const TINY_SIDE_PX = 8;
/** A corner this far (px) outside the image is out of it; less is rounding. */
export const OUT_OF_IMAGE_PX = 0.5;

/** Statuses of a photo that has been confirmed by the contestant (or reviewed since). */
export const CONFIRMED_STATUSES: readonly string[] = ['confirmed', 'reviewed'];
/** Statuses that count toward a combo's quota (the store's accepted statuses). */
export const QUOTA_STATUSES: readonly string[] = ['clean', 'prelabeled', 'confirmed', 'reviewed'];
