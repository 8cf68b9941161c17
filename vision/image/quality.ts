/**
 * Quality figures from a grey copy. Pure functions over pixels, so they are cheap to
 * test and independent of the decoder.
 *
 * Measured so that real photos are judged fairly (issue 14 point 6, figures from
 * `npm run bench -- prelabel-real`): a gauge on a white product background has most of its
 * pixels blown out and a car dashboard most of its pixels dark, yet both show the meter
 * well. What a bad exposure destroys is the other end of the range — an overexposed photo
 * has no dark detail left (ticks, needle), an underexposed one no bright detail — so the
 * shadow and highlight percentiles are measured besides the clipped shares. Sharpness is
 * taken where the photo has detail (its sharpest tiles), not averaged over a plain
 * background that would make any product shot look blurry.
 */
import type { ImageQuality, RawImage } from './types.js';

/** Grey level at or below which a pixel counts as dark (crushed shadows). */
export const DARK_LEVEL = 16;
/** Grey level at or above which a pixel counts as bright (blown highlights). */
export const BRIGHT_LEVEL = 239;
/** `shadowLuma` is this percentile of the grey levels (the darkest 5 % are at or below it). */
export const SHADOW_PERCENTILE = 5;
/** `highlightLuma` is this percentile of the grey levels (the brightest 2 % are at or above it). */
export const HIGHLIGHT_PERCENTILE = 98;
/** Side, px, of the square tiles whose Laplacian variance is ranked for `sharpness`. */
export const SHARPNESS_TILE = 32;
/** `sharpness` is this percentile of the tiles' Laplacian variances (the sharpest tenth of the photo). */
export const SHARPNESS_PERCENTILE = 90;

/** The grey level at percentile `p` (0–100) of a 256-bin histogram of `n` pixels. */
function histogramPercentile(hist: Uint32Array, n: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= rank) return v;
  }
  return 255;
}

/**
 * Variance of the 4-neighbour Laplacian per `SHARPNESS_TILE` tile (interior pixels only),
 * and its `SHARPNESS_PERCENTILE`th percentile over the tiles. An image smaller than one
 * tile is one tile; 0 when it is narrower or shorter than 3 px.
 */
function tileSharpness(data: Uint8Array | Buffer, w: number, h: number): number {
  if (w < 3 || h < 3) return 0;
  const tw = Math.min(SHARPNESS_TILE, w);
  const th = Math.min(SHARPNESS_TILE, h);
  const variances: number[] = [];
  for (let ty = 0; ty + th <= h; ty += th) {
    for (let tx = 0; tx + tw <= w; tx += tw) {
      let sum = 0;
      let sq = 0;
      let count = 0;
      for (let y = Math.max(1, ty); y < Math.min(h - 1, ty + th); y++) {
        const row = y * w;
        for (let x = Math.max(1, tx); x < Math.min(w - 1, tx + tw); x++) {
          const i = row + x;
          const lap = data[i - w]! + data[i + w]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
          sum += lap;
          sq += lap * lap;
          count++;
        }
      }
      if (count > 0) variances.push(sq / count - (sum / count) ** 2);
    }
  }
  if (variances.length === 0) return 0;
  variances.sort((a, b) => a - b);
  const rank = Math.min(variances.length - 1, Math.max(0, Math.ceil((SHARPNESS_PERCENTILE / 100) * variances.length) - 1));
  return variances[rank]!;
}

/**
 * Measures sharpness and exposure of a 1-channel image. Sharpness is the variance of the
 * 4-neighbour Laplacian in the sharpest tenth of the image (90th percentile over 32 px
 * tiles); it depends on scale, so always pass the same-size copy (long side 512, see
 * `inspectImage`).
 */
export function measureQuality(grey: RawImage): ImageQuality {
  if (grey.channels !== 1) throw new RangeError('measureQuality needs a 1-channel image');
  const { data, width: w, height: h } = grey;
  const n = w * h;
  const hist = new Uint32Array(256);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    sum += v;
    hist[v]!++;
  }
  let dark = 0;
  for (let v = 0; v <= DARK_LEVEL; v++) dark += hist[v]!;
  let bright = 0;
  for (let v = BRIGHT_LEVEL; v < 256; v++) bright += hist[v]!;
  return {
    sharpness: tileSharpness(data, w, h),
    meanLuma: n > 0 ? sum / n : 0,
    darkFraction: n > 0 ? dark / n : 0,
    brightFraction: n > 0 ? bright / n : 0,
    shadowLuma: n > 0 ? histogramPercentile(hist, n, SHADOW_PERCENTILE) : 0,
    highlightLuma: n > 0 ? histogramPercentile(hist, n, HIGHLIGHT_PERCENTILE) : 0,
  };
}
