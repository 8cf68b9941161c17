/**
 * Quality figures from a grey copy. Pure functions over pixels, so they are cheap to
 * test and independent of the decoder.
 */
import type { ImageQuality, RawImage } from './types.js';

/** Grey level at or below which a pixel counts as dark (crushed shadows). */
export const DARK_LEVEL = 16;
/** Grey level at or above which a pixel counts as bright (blown highlights). */
export const BRIGHT_LEVEL = 239;

/**
 * Measures sharpness and exposure of a 1-channel image. Sharpness is the variance of
 * the 4-neighbour Laplacian over interior pixels (0 when the image is narrower or
 * shorter than 3 px); it depends on scale, so always pass the same-size copy (long
 * side 512, see `inspectImage`).
 */
export function measureQuality(grey: RawImage): ImageQuality {
  if (grey.channels !== 1) throw new RangeError('measureQuality needs a 1-channel image');
  const { data, width: w, height: h } = grey;
  const n = w * h;
  let sum = 0;
  let dark = 0;
  let bright = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    sum += v;
    if (v <= DARK_LEVEL) dark++;
    else if (v >= BRIGHT_LEVEL) bright++;
  }
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < h - 1; y++) {
    const row = y * w;
    for (let x = 1; x < w - 1; x++) {
      const i = row + x;
      const lap = data[i - w]! + data[i + w]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      lapSum += lap;
      lapSq += lap * lap;
      count++;
    }
  }
  const lapMean = count > 0 ? lapSum / count : 0;
  return {
    sharpness: count > 0 ? lapSq / count - lapMean * lapMean : 0,
    meanLuma: n > 0 ? sum / n : 0,
    darkFraction: n > 0 ? dark / n : 0,
    brightFraction: n > 0 ? bright / n : 0,
  };
}
