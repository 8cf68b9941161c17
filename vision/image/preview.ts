/**
 * `renderPreview`: the JPEG a contestant sees for each photo, with the proposed boxes
 * numbered so a button row can refer to them, and a class legend below.
 */
import sharp, { type Sharp } from 'sharp';
import { DISPLAY_MAX_SIDE } from './inspect.js';
import { legendHeight, overlaySvg, type LegendEntry, type PreviewBox } from './preview-svg.js';
import type { RawImage } from './types.js';

export type { LegendEntry, PreviewBox } from './preview-svg.js';

/** Options of `renderPreview`. */
export interface PreviewOptions {
  /** Longest side of the picture part, px (default 1280); never enlarges. */
  readonly maxSide?: number;
  /** Legend strip below the picture; omitted or empty: no strip. */
  readonly legend?: readonly LegendEntry[];
  /**
   * Size, px, of the image the box coordinates refer to, when `image` is a smaller
   * copy of it (e.g. `InspectOk.display` with the photo's `width`/`height`).
   * Default: the size of `image` itself (after EXIF orientation).
   */
  readonly sourceSize?: { readonly width: number; readonly height: number };
  /** JPEG quality, 1..100 (default 82). */
  readonly quality?: number;
}

const LEGEND_BACKGROUND = '#1f1f1f';

function isRaw(image: Buffer | RawImage): image is RawImage {
  return !Buffer.isBuffer(image);
}

/**
 * Draws numbered box outlines (stroke and tag size scale with the preview) on a
 * downscaled copy of `image` and returns it as JPEG. `image` is an encoded photo
 * (EXIF orientation is applied, matching box coordinates in upright pixels) or an
 * already-decoded `RawImage`, which avoids decoding a 12 MP photo a second time.
 * Output size: the picture fitted inside `maxSide`², plus the legend strip's height.
 */
export async function renderPreview(
  image: Buffer | RawImage,
  boxes: readonly PreviewBox[],
  opts: PreviewOptions = {},
): Promise<Buffer> {
  const maxSide = opts.maxSide ?? DISPLAY_MAX_SIDE;
  if (!(maxSide >= 1)) throw new RangeError(`renderPreview: maxSide must be ≥ 1, got ${maxSide}`);
  let base: Sharp;
  let width: number;
  let height: number;
  if (isRaw(image)) {
    base = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
    ({ width, height } = image);
  } else {
    base = sharp(image, { failOn: 'error' }).autoOrient();
    const meta = await sharp(image).metadata();
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
    if (!width || !height) throw new RangeError('renderPreview: image has no size; inspect it first');
  }
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const outW = Math.max(1, Math.round(width * scale));
  const outH = Math.max(1, Math.round(height * scale));
  const source = opts.sourceSize ?? { width, height };
  if (!(source.width > 0 && source.height > 0)) {
    throw new RangeError(`renderPreview: sourceSize must be positive, got ${source.width}×${source.height}`);
  }
  const sx = outW / source.width;
  const sy = outH / source.height;
  const scaled = boxes.map((b) => ({ ...b, x1: b.x1 * sx, x2: b.x2 * sx, y1: b.y1 * sy, y2: b.y2 * sy }));
  const legend = opts.legend ?? [];
  const strip = legendHeight(legend, outW, outH);
  const svg = Buffer.from(overlaySvg(outW, outH, scaled, legend));

  let pipeline = base;
  if (outW !== width || outH !== height) pipeline = pipeline.resize(outW, outH, { fit: 'fill' });
  pipeline = pipeline.flatten({ background: '#ffffff' });
  if (strip > 0) pipeline = pipeline.extend({ bottom: strip, background: LEGEND_BACKGROUND });
  return pipeline
    .composite([{ input: svg, top: 0, left: 0 }])
    .jpeg({ quality: opts.quality ?? 82, optimiseCoding: false })
    .toBuffer();
}
