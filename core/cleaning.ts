import type { ExamConfig } from './exam-config.js';

/**
 * Cleaning verdicts: whether an inspected photo joins the dataset, and if not, why.
 * Pure: the caller passes what it knows about the station's other photos.
 */

export type RejectReason =
  // decided by inspection (the file itself)
  | 'empty'
  | 'too-large-file'
  | 'not-an-image'
  | 'unsupported-format'
  | 'too-many-pixels'
  | 'corrupt'
  | 'animated'
  | 'download-failed'
  /** Ingest failed for good (attempts exhausted); the chat offers Retry. Not counted anywhere. */
  | 'processing-failed'
  // decided by cleaning (the photo against the plan and the other photos)
  | 'too-small'
  | 'exact-duplicate'
  | 'near-duplicate'
  | 'other-station'
  | 'blurry'
  | 'too-dark'
  | 'too-bright'
  | 'quota-full'
  | 'removed-by-user';

export const REJECT_REASONS: readonly RejectReason[] = [
  'empty', 'too-large-file', 'not-an-image', 'unsupported-format', 'too-many-pixels', 'corrupt', 'animated',
  'download-failed', 'too-small', 'exact-duplicate', 'near-duplicate', 'other-station', 'blurry', 'too-dark',
  'too-bright', 'quota-full', 'removed-by-user', 'processing-failed',
];

export interface PhotoQuality {
  width: number;
  height: number;
  sharpness: number;
  meanLuma: number;
  darkFraction: number;
  brightFraction: number;
  /** Grey level of the 5th percentile (see vision `ImageQuality.shadowLuma`). */
  shadowLuma: number;
  /** Grey level of the 98th percentile (see vision `ImageQuality.highlightLuma`). */
  highlightLuma: number;
  sha256: string;
  phash: string;
}

export interface CleaningContext {
  /** Accepted photos of this station (not the one being judged). */
  accepted: ReadonlyArray<{ id: number; sha256: string | null; phash: string | null }>;
  /** A photo of another station with the same bytes, if any (copying another station's photo). */
  otherStationPhoto?: { stationNo: string } | undefined;
  /** Accepted photos already counted for this photo's combo, and its quota. */
  comboCount: number;
  comboQuota: number;
  hamming: (a: string, b: string) => number;
}

export type Verdict =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: RejectReason; detail?: string; duplicateOf?: number };

/**
 * The order matters: the cheapest, most certain verdicts first, and "quota full"
 * last so a photo is only called surplus when it is otherwise good.
 */
export function cleaningVerdict(q: PhotoQuality, ctx: CleaningContext, cfg: ExamConfig['cleaning']): Verdict {
  const [w, h] = q.width >= q.height ? [q.width, q.height] : [q.height, q.width];
  const [minW, minH] = cfg.minWidth >= cfg.minHeight ? [cfg.minWidth, cfg.minHeight] : [cfg.minHeight, cfg.minWidth];
  if (w < minW || h < minH) return { kind: 'rejected', reason: 'too-small', detail: measureDetail('size', `${q.width}×${q.height}`, `${minW}×${minH}`) };

  const same = ctx.accepted.find((p) => p.sha256 === q.sha256);
  if (same) return { kind: 'rejected', reason: 'exact-duplicate', duplicateOf: same.id };
  if (ctx.otherStationPhoto) return { kind: 'rejected', reason: 'other-station' };

  let nearest: { id: number; d: number } | undefined;
  for (const p of ctx.accepted) {
    if (!p.phash) continue;
    const d = ctx.hamming(p.phash, q.phash);
    if (d <= cfg.nearDuplicateDistance && (!nearest || d < nearest.d)) nearest = { id: p.id, d };
  }
  if (nearest) return { kind: 'rejected', reason: 'near-duplicate', duplicateOf: nearest.id, detail: String(nearest.d) };

  // Exposure: the whole frame's mean or clipped share raises the question, and the other end of
  // the range answers it. A dashboard (mean 30–64) still has bright markings and a gauge on a
  // white background still has dark ticks; a photo with neither is what the tip can fix.
  const isDarkFrame = q.meanLuma < cfg.minMeanLuma || q.darkFraction > cfg.maxClippedFraction;
  if (isDarkFrame && q.highlightLuma < cfg.minHighlightLuma) {
    return { kind: 'rejected', reason: 'too-dark', detail: measureDetail('highlights', q.highlightLuma.toFixed(0), String(cfg.minHighlightLuma)) };
  }
  const isBrightFrame = q.meanLuma > cfg.maxMeanLuma || q.brightFraction > cfg.maxClippedFraction;
  if (isBrightFrame && q.shadowLuma > cfg.maxShadowLuma) {
    return { kind: 'rejected', reason: 'too-bright', detail: measureDetail('shadows', q.shadowLuma.toFixed(0), String(cfg.maxShadowLuma)) };
  }
  // After exposure: a dark photo also has little contrast, and "too dark" is the actionable tip.
  if (q.sharpness < cfg.minSharpness) {
    return { kind: 'rejected', reason: 'blurry', detail: measureDetail('sharpness', q.sharpness.toFixed(0), String(cfg.minSharpness)) };
  }
  if (ctx.comboCount >= ctx.comboQuota) return { kind: 'rejected', reason: 'quota-full', detail: `${ctx.comboCount}/${ctx.comboQuota}` };
  return { kind: 'accepted' };
}

/**
 * The measure a cleaning check failed on. A reason can fail on more than one measure
 * ("too bright": mean brightness or the share of blown-out pixels), and the message
 * must quote the one that failed, with its limit, or it contradicts itself.
 */
export type FailedMeasure = 'size' | 'lumaLow' | 'lumaHigh' | 'darkShare' | 'brightShare' | 'sharpness' | 'highlights' | 'shadows';

/** `lumaLow` … `brightShare` are no longer written (exposure is judged by `highlights` / `shadows`) but older rows still read back. */
const MEASURES: readonly FailedMeasure[] = ['size', 'lumaLow', 'lumaHigh', 'darkShare', 'brightShare', 'sharpness', 'highlights', 'shadows'];

/** Stored form of a failed measure in `reject_detail`: `measure|value|limit` (value and limit already formatted). */
export function measureDetail(measure: FailedMeasure, value: string, limit: string): string {
  return `${measure}|${value}|${limit}`;
}

/** Reads `measureDetail`'s form back; `undefined` for other details (older rows, duplicates, quota). */
export function parseMeasureDetail(detail: string | null | undefined): { measure: FailedMeasure; value: string; limit: string } | undefined {
  const [measure, value, limit, ...rest] = (detail ?? '').split('|');
  if (rest.length || value === undefined || limit === undefined || !(MEASURES as readonly string[]).includes(measure ?? '')) return undefined;
  return { measure: measure as FailedMeasure, value, limit };
}

/** Why a rejected photo may or may not join the dataset after all ("restore" / "keep anyway"). */
export type RestoreCheck =
  | { kind: 'ok'; warning?: 'near-duplicate' }
  | { kind: 'refused'; why: 'exact-duplicate' | 'other-station' | 'quota-full' };

/**
 * Decides a restore: an exact copy of an accepted photo (or of another station's) never
 * joins while that photo is accepted (the judges sample photos, and a duplicate adds nothing but risk); the combo's
 * quota holds as it does at ingest; a near duplicate may join, with a warning.
 */
export function restoreCheck(p: {
  reason: RejectReason | null;
  /** An accepted photo of the station has the same SHA-256. */
  hasExactTwin: boolean;
  comboCount: number;
  comboQuota: number;
}): RestoreCheck {
  if (p.hasExactTwin) return { kind: 'refused', why: 'exact-duplicate' };
  if (p.reason === 'other-station') return { kind: 'refused', why: 'other-station' };
  if (p.comboCount >= p.comboQuota) return { kind: 'refused', why: 'quota-full' };
  return p.reason === 'near-duplicate' ? { kind: 'ok', warning: 'near-duplicate' } : { kind: 'ok' };
}

/**
 * A stored reject reason as the union: the database column is free text, and a row written
 * by an older or newer version may hold a reason this one does not know. Such a row (or one
 * with none) reads as `corrupt`, whose text ("damaged image") is true of any unusable photo.
 */
export function parseRejectReason(value: string | null | undefined): RejectReason {
  return REJECT_REASONS.find((r) => r === value) ?? 'corrupt';
}
