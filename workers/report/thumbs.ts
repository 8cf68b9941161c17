import sharp from 'sharp';
import type { ReportBox, ReportPhoto } from '../../reports/index.js';

/** Longest side of a report thumbnail: small enough to keep a 20-photo grid PDF light. */
export const THUMB_SIDE = 320;

/**
 * A small JPEG of a stored photo with its boxes scaled into the thumbnail's pixels
 * (boxes are in the pixels of the image as stored).
 */
export async function thumbnail(path: string, name: string, boxes: readonly ReportBox[]): Promise<ReportPhoto> {
  // Stored images are already upright (ingest orients them), so boxes and pixels agree.
  const meta = await sharp(path).metadata();
  const { data, info } = await sharp(path)
    .resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 72 })
    .toBuffer({ resolveWithObject: true });
  const sx = info.width / (meta.width ?? info.width);
  const sy = info.height / (meta.height ?? info.height);
  return {
    name,
    jpeg: new Uint8Array(data),
    width: info.width,
    height: info.height,
    boxes: boxes.map((b) => ({ ...b, x1: b.x1 * sx, y1: b.y1 * sy, x2: b.x2 * sx, y2: b.y2 * sy })),
  };
}

/** Scales boxes from an image of `from` pixels into one of `to` pixels. */
export function scaleBoxes<B extends ReportBox>(boxes: readonly B[], from: { width: number; height: number }, to: { width: number; height: number }): B[] {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return boxes.map((b) => ({ ...b, x1: b.x1 * sx, y1: b.y1 * sy, x2: b.x2 * sx, y2: b.y2 * sy }));
}
