/**
 * `inspectImage`: everything ingest needs to know about one upload, from one decode.
 *
 * Order matters for safety and speed: size and magic bytes first (no decoder touches
 * a PDF or a GIF), then the declared pixel size from the header (a 16000×16000 PNG is
 * refused without allocating its pixels), then one shrink-on-load decode to a display
 * copy from which every figure is computed. The full-resolution JPEG is re-encoded only
 * when it must be (not a JPEG, or EXIF says to rotate), in parallel with the display
 * decode so the two cores are both busy.
 */
import { createHash } from 'node:crypto';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { perceptualHash } from './phash.js';
import { measureQuality } from './quality.js';
import { isAnimatedWebp, readPngHeader, sniffFormat } from './sniff.js';
import type {
  InspectLimits,
  InspectRejected,
  InspectResult,
  RawImage,
  RejectReason,
} from './types.js';

/** Long side, in pixels, of `InspectOk.display` (and the default preview size). */
export const DISPLAY_MAX_SIDE = 1280;
/** Long side, in pixels, of the grey copy that quality and phash are measured on. */
export const QUALITY_LONG_SIDE = 512;
/**
 * JPEG quality of a re-encoded full-resolution `oriented` image. Huffman optimisation
 * is off: with sharp's mozjpeg it costs ~10× the encode time for ~8% smaller files.
 */
export const ORIENTED_JPEG_QUALITY = 90;

function reject(reason: RejectReason, detail?: string): InspectRejected {
  return detail === undefined ? { kind: 'rejected', reason } : { kind: 'rejected', reason, detail };
}

function pixelSize(width: number, height: number): string {
  return `${width}×${height}`;
}

/** A short, single-line description of a decoder error, for logs (never shown to users). */
function decoderMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim().slice(0, 200);
}

class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

/** Runs a sharp step, turning whatever libvips throws into a `DecodeError`. */
async function decode<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new DecodeError(decoderMessage(err), { cause: err });
  }
}

/**
 * `limits` undefined: for header reads only, where we compare the size ourselves and
 * report it (sharp would throw before telling us the size).
 */
function open(input: Buffer, limits: InspectLimits | undefined): Sharp {
  const options: SharpOptions = {
    // 'error' refuses truncated and broken files; 'warning' would also refuse the
    // harmless warnings many phone JPEGs carry.
    failOn: 'error',
    limitInputPixels: limits ? Math.max(1, Math.floor(limits.maxInputPixels)) : false,
  };
  return sharp(input, options);
}

async function greyCopy(display: RawImage): Promise<RawImage> {
  const { data, info } = await sharp(display.data, {
    raw: { width: display.width, height: display.height, channels: display.channels },
  })
    .resize({ width: QUALITY_LONG_SIDE, height: QUALITY_LONG_SIDE, fit: 'inside' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`grey copy has ${info.channels} channels, expected 1`);
  return { data, width: info.width, height: info.height, channels: 1 };
}

/**
 * Checks one upload and, when it may enter the dataset, returns its upright JPEG,
 * hashes, quality figures and a display-size decode. Expected refusals are values
 * (`kind: 'rejected'`), never exceptions; the function throws only on bugs.
 *
 * Cost: one header read plus one shrink-on-load decode for a JPEG with orientation 1
 * (no full-resolution decode at all); a full decode and JPEG q90 encode otherwise.
 */
export async function inspectImage(input: Buffer, limits: InspectLimits): Promise<InspectResult> {
  if (input.length === 0) return reject('empty');
  if (input.length > limits.maxBytes) return reject('too-large-file', `${input.length} bytes`);

  const sniffed = sniffFormat(input);
  if (sniffed.kind === 'unsupported') return reject('unsupported-format', sniffed.name);
  if (sniffed.kind === 'not-an-image') return reject('not-an-image', sniffed.name);
  const { format } = sniffed;

  if (format === 'png') {
    const header = readPngHeader(input);
    if (!header) return reject('corrupt', 'PNG without a valid IHDR chunk');
    if (header.width * header.height > limits.maxInputPixels) {
      return reject('too-many-pixels', pixelSize(header.width, header.height));
    }
    if (header.isAnimated) return reject('animated', 'apng');
  }
  if (format === 'webp' && isAnimatedWebp(input)) return reject('animated', 'webp');

  try {
    const meta = await decode(() => open(input, undefined).metadata());
    if (!meta.width || !meta.height) return reject('corrupt', 'no image size in header');
    if (meta.width * meta.height > limits.maxInputPixels) {
      return reject('too-many-pixels', pixelSize(meta.width, meta.height));
    }
    if ((meta.pages ?? 1) > 1) return reject('animated', format);
    const orientation = meta.orientation ?? 1;
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;

    const reuseInput = format === 'jpeg' && orientation === 1 && meta.space !== 'cmyk';
    const orientedPromise = reuseInput
      ? Promise.resolve(input)
      : decode(() =>
          open(input, limits)
            .autoOrient()
            .flatten({ background: '#ffffff' })
            .jpeg({ quality: ORIENTED_JPEG_QUALITY, optimiseCoding: false })
            .toBuffer(),
        );
    const displayPromise = decode(() =>
      open(input, limits)
        .autoOrient()
        .resize({ width: DISPLAY_MAX_SIDE, height: DISPLAY_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    // Hashing runs on this thread while libvips decodes on the pool.
    const sha256 = createHash('sha256').update(input).digest('hex');
    const [oriented, decoded] = await Promise.all([orientedPromise, displayPromise]);
    if (decoded.info.channels !== 3) {
      throw new Error(`display copy has ${decoded.info.channels} channels, expected 3: check the sharp pipeline`);
    }
    const display: RawImage = { data: decoded.data, width: decoded.info.width, height: decoded.info.height, channels: 3 };
    const grey = await greyCopy(display);
    return {
      kind: 'ok',
      format,
      width,
      height,
      orientation,
      oriented,
      sha256,
      phash: perceptualHash(grey),
      quality: measureQuality(grey),
      display,
    };
  } catch (err) {
    if (err instanceof DecodeError) return reject('corrupt', err.message);
    throw err;
  }
}
