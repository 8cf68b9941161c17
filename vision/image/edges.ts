/**
 * Image evidence for the pre-acceptance check: where an object's edges actually lie
 * near each side of a labeled box. For each side, a profile of edge strength is taken
 * across the side (searching outward and inward by up to {@link SEARCH_FRACTION} of the
 * box's extent) and the nearest convincing edge is located (`edge-profile.ts`).
 */
import sharp from 'sharp';
import type { Box, BoxSide, EdgeEvidence, SideEvidence } from '../../core/index.js';
import { locateEdge, type EdgeProfileOptions } from './edge-profile.js';
import type { RawImage } from './types.js';

/** Search reach on each side of a labeled edge, as a share of the box's extent across it. */
export const SEARCH_FRACTION = 0.15;
/** Smallest search reach in pixels, so small boxes still see a few pixels either way. */
export const MIN_SEARCH_PX = 5;
/**
 * The profile value at one offset is the k-th largest step along the side, not the
 * largest: one noisy pixel cannot make an edge, yet the few rows where a round gauge
 * touches its box still count.
 */
export const PROFILE_RANK = 3;
/** …or this share of the side's pixels, when more: background texture is spotty, an edge is not. */
export const PROFILE_RANK_FRACTION = 0.1;
/** Gaussian pre-blur (sigma, px) before taking steps: tames sensor noise and JPEG blocks. */
export const PRE_BLUR_SIGMA = 0.7;

/** Decodes a photo (EXIF-oriented, sRGB) into the raw form {@link measureBoxEdges} reads. */
export async function decodeForEdges(input: Buffer | string): Promise<RawImage> {
  const { data, info } = await sharp(input)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .blur(PRE_BLUR_SIGMA)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
}

/** Measures all four sides of `box` in `image` (pixels of the oriented image). */
export function measureBoxEdges(image: RawImage, box: Box, options: EdgeProfileOptions = {}): EdgeEvidence {
  return {
    left: measureSide(image, box, 'left', options),
    top: measureSide(image, box, 'top', options),
    right: measureSide(image, box, 'right', options),
    bottom: measureSide(image, box, 'bottom', options),
  };
}

/** Decodes once and measures every box of a photo. */
export async function measurePhotoEdges(input: Buffer | string, boxes: readonly Box[]): Promise<EdgeEvidence[]> {
  const image = await decodeForEdges(input);
  return boxes.map((b) => measureBoxEdges(image, b));
}

function measureSide(image: RawImage, box: Box, side: BoxSide, options: EdgeProfileOptions): SideEvidence | null {
  const isVertical = side === 'left' || side === 'right';
  const along = isVertical ? image.width : image.height;
  const across = isVertical ? image.height : image.width;
  const pos = side === 'left' ? box.x1 : side === 'right' ? box.x2 : side === 'top' ? box.y1 : box.y2;
  const extent = isVertical ? box.x2 - box.x1 : box.y2 - box.y1;
  const spanLo = Math.max(0, Math.ceil(isVertical ? box.y1 : box.x1));
  const spanHi = Math.min(across, Math.floor(isVertical ? box.y2 : box.x2));
  if (!(extent > 0) || spanHi - spanLo < 2) return null;
  const b0 = Math.round(pos);
  // A side on (or beyond) the image border: the object may go on outside the frame.
  if (b0 <= 2 || b0 >= along - 2) return null;
  const inward = side === 'left' || side === 'top' ? 1 : -1;
  const radius = Math.max(MIN_SEARCH_PX, Math.min(Math.round(SEARCH_FRACTION * extent), Math.floor(extent / 2)));
  const profile = new Float32Array(2 * radius + 1);
  const steps = new Float32Array(spanHi - spanLo);
  const rank = Math.max(PROFILE_RANK, Math.round(PROFILE_RANK_FRACTION * steps.length));
  for (let i = 0; i < profile.length; i++) {
    const b = b0 + inward * (i - radius);
    if (b < 2 || b > along - 2) continue;
    for (let k = spanLo; k < spanHi; k++) steps[k - spanLo] = step(image, isVertical, b, k);
    profile[i] = kthLargest(steps, rank);
  }
  const edge = locateEdge(profile, radius, options);
  if (!edge) return null;
  const deviationPx = edge.offset + inward * (b0 - pos);
  if (!(deviationPx > 0) || image.channels !== 3) return { deviationPx, confidence: edge.confidence };
  const bandContrast = measureBand(image, isVertical, inward, b0, edge.offset, spanLo, spanHi);
  return { deviationPx, confidence: edge.confidence, ...(bandContrast === undefined ? {} : { bandContrast }) };
}

/** Rows (or columns) of the side's central half that {@link measureBand} compares. */
export const BAND_SPAN_FRACTION = 0.5;
/** The percentile of the per-row differences that {@link measureBand} reads (the rows where the object is nearest). */
export const BAND_PERCENTILE = 0.8;

/**
 * How much the band between a loose side and the edge found inside it differs from the
 * background just outside the side, relative to how much the object past the edge
 * differs from it: per row of the side's central half, the mean colour of each band,
 * the largest channel difference; the 80th percentile over rows of each, as a ratio.
 * Near 0 the band is plain background (the box is loose there); near 1 it looks like
 * the object (a faint outer rim that the edge profile did not take for the outline).
 */
function measureBand(
  image: RawImage,
  isVertical: boolean,
  inward: 1 | -1,
  b0: number,
  edgeOffset: number,
  spanLo: number,
  spanHi: number,
): number | undefined {
  const { data, width, height } = image;
  const d = Math.round(edgeOffset);
  if (d < 3) return undefined;
  const w = Math.max(3, d);
  const along = isVertical ? width : height;
  // Pixel index at inward offset o from the labeled boundary b0 (o ≥ 0 inside the box).
  const lineAt = (o: number): number => (inward === 1 ? b0 + o : b0 - 1 - o);
  if (Math.min(lineAt(-w), lineAt(d + w)) < 0 || Math.max(lineAt(-w), lineAt(d + w)) >= along) return undefined;
  const margin = ((1 - BAND_SPAN_FRACTION) / 2) * (spanHi - spanLo);
  const k0 = Math.ceil(spanLo + margin);
  const k1 = Math.floor(spanHi - margin);
  if (k1 - k0 < 2) return undefined;
  const mean = (k: number, a: number, b: number, out: number[]): void => {
    out[0] = out[1] = out[2] = 0;
    for (let o = a; o <= b; o++) {
      const l = lineAt(o);
      const p = ((isVertical ? k * width + l : l * width + k) * 3) | 0;
      for (let c = 0; c < 3; c++) out[c] = (out[c] ?? 0) + (data[p + c] ?? 0);
    }
    for (let c = 0; c < 3; c++) out[c] = (out[c] ?? 0) / (b - a + 1);
  };
  const outside = [0, 0, 0];
  const band = [0, 0, 0];
  const object = [0, 0, 0];
  const diff = (x: number[], y: number[]): number => Math.max(...x.map((v, c) => Math.abs(v - (y[c] ?? 0))));
  const bandDiffs: number[] = [];
  const objectDiffs: number[] = [];
  for (let k = k0; k < k1; k++) {
    if (k < 0 || k >= (isVertical ? height : width)) continue;
    mean(k, -w, -1, outside);
    mean(k, 1, Math.max(1, d - 2), band);
    mean(k, d + 1, d + w, object);
    bandDiffs.push(diff(band, outside));
    objectDiffs.push(diff(object, outside));
  }
  const pct = (v: number[]): number => v.sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(BAND_PERCENTILE * v.length))] ?? 0;
  return pct(bandDiffs) / Math.max(4, pct(objectDiffs));
}

/**
 * Step across boundary `b` (between pixels b-1 and b) at row/column `k`: the mean of the
 * two pixels after it minus the mean of the two before, largest over the channels. Two
 * pixels a side keep a blurred edge's full height and average the noise down, while a
 * sharp edge still peaks at exactly one boundary.
 */
function step(image: RawImage, isVertical: boolean, b: number, k: number): number {
  const { data, width, channels } = image;
  const stride = isVertical ? channels : width * channels;
  const p = isVertical ? (k * width + b) * channels : (b * width + k) * channels;
  let best = 0;
  for (let c = 0; c < channels; c++) {
    const after = (data[p + c] ?? 0) + (data[p + stride + c] ?? 0);
    const before = (data[p - stride + c] ?? 0) + (data[p - 2 * stride + c] ?? 0);
    best = Math.max(best, Math.abs(after - before) / 2);
  }
  return best;
}

/** The k-th largest of `values` (steps are halves of 0..255): a counting pass, no sort. */
function kthLargest(values: Float32Array, k: number): number {
  const counts = new Uint32Array(512);
  for (const v of values) {
    const bin = Math.min(511, Math.round(v * 2));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  let seen = 0;
  for (let i = 511; i >= 0; i--) {
    seen += counts[i] ?? 0;
    if (seen >= k) return i / 2;
  }
  return 0;
}
