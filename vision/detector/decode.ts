/**
 * `decodeForDetector`: the one decode the invocation API needs — the upright image at the
 * detector's input size, and nothing else.
 *
 * `inspectImage` serves ingest: it also hashes the bytes, keeps an upright full-size JPEG,
 * decodes a 1280 px display copy and measures quality and a perceptual hash on a grey
 * copy. None of that is used to answer a detect call. Here the same refusals come first
 * (size, magic bytes, the declared pixel count from the header, animation), then one
 * sharp pipeline: EXIF orientation, shrink-on-load and a resize straight to the size the
 * detector would resize to (`fitInside(width, height, maxSide)`), so the detector copies
 * the pixels into its tensor without resampling them again.
 */
import sharp, { type Metadata } from 'sharp';
import { fitInside } from './preprocess.js';
import { DETECT_DEFAULTS } from './detector.js';
import { isAnimatedWebp, readPngHeader, sniffFormat } from '../image/sniff.js';
import type { AcceptedFormat, InspectLimits, InspectRejected, RawImage, RejectReason } from '../image/types.js';

/** An image ready for the detector. */
export interface DetectorInputOk {
  readonly kind: 'ok';
  readonly format: AcceptedFormat;
  /** The upright image's size in pixels (EXIF orientation applied): boxes are given in it. */
  readonly width: number;
  readonly height: number;
  /** sRGB pixels of the upright image fitted inside `maxSide` (never enlarged). */
  readonly image: RawImage;
}

export type DetectorInputResult = DetectorInputOk | InspectRejected;

const reject = (reason: RejectReason, detail?: string): InspectRejected =>
  detail === undefined ? { kind: 'rejected', reason } : { kind: 'rejected', reason, detail };

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim().slice(0, 200);

/**
 * Checks one upload as `inspectImage` does (same reasons: empty, too-large-file,
 * not-an-image, unsupported-format, too-many-pixels from the header, animated, corrupt)
 * and decodes it for the detector. Refusals are values; it throws only on bugs.
 */
export async function decodeForDetector(
  input: Buffer,
  limits: InspectLimits,
  opts: { maxSide?: number } = {},
): Promise<DetectorInputResult> {
  if (input.length === 0) return reject('empty');
  if (input.length > limits.maxBytes) return reject('too-large-file', `${input.length} bytes`);
  const sniffed = sniffFormat(input);
  if (sniffed.kind === 'unsupported') return reject('unsupported-format', sniffed.name);
  if (sniffed.kind === 'not-an-image') return reject('not-an-image', sniffed.name);
  const { format } = sniffed;
  if (format === 'png') {
    const header = readPngHeader(input);
    if (!header) return reject('corrupt', 'PNG without a valid IHDR chunk');
    if (header.width * header.height > limits.maxInputPixels) return reject('too-many-pixels', `${header.width}×${header.height}`);
    if (header.isAnimated) return reject('animated', 'apng');
  }
  if (format === 'webp' && isAnimatedWebp(input)) return reject('animated', 'webp');

  let meta: Metadata;
  try {
    meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (err) {
    return reject('corrupt', firstLine(err));
  }
  if (!meta.width || !meta.height) return reject('corrupt', 'no image size in header');
  if (meta.width * meta.height > limits.maxInputPixels) return reject('too-many-pixels', `${meta.width}×${meta.height}`);
  if ((meta.pages ?? 1) > 1) return reject('animated', format);
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  const size = fitInside(width, height, opts.maxSide ?? DETECT_DEFAULTS.maxSide);
  try {
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: Math.max(1, Math.floor(limits.maxInputPixels)) })
      .autoOrient()
      .resize({ width: size.width, height: size.height, fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`detector input has ${info.channels} channels, expected 3: check the sharp pipeline`);
    return { kind: 'ok', format, width, height, image: { data, width: info.width, height: info.height, channels: 3 } };
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('detector input has')) throw err;
    return reject('corrupt', firstLine(err));
  }
}
