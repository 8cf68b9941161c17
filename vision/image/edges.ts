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
  return { deviationPx: edge.offset + inward * (b0 - pos), confidence: edge.confidence };
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
