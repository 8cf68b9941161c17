import type { RejectReason as PhotoRejectReason } from '../../core/index.js';

/**
 * Value types of the image part of ingest. Defined here rather than in `core/` so that
 * `vision/image` stands on its own; `core/` job contracts may mirror them in zod.
 */

/** The formats the dataset accepts, identified by content (magic bytes), never by name. */
export type AcceptedFormat = 'jpeg' | 'png' | 'webp';

/**
 * Why a file was refused before it could become a photo: the inspection subset of the
 * product's reject reasons (core/cleaning.ts), so the two lists cannot drift apart.
 */
export type RejectReason = Extract<
  PhotoRejectReason,
  'empty' | 'too-large-file' | 'not-an-image' | 'unsupported-format' | 'too-many-pixels' | 'corrupt' | 'animated'
>;

/** Hard limits checked before any pixel is decoded. */
export interface InspectLimits {
  /** Largest width × height (of the declared header size) that may be decoded, e.g. `50e6`. */
  readonly maxInputPixels: number;
  /** Largest file size in bytes, e.g. `30 * 1024 * 1024`. */
  readonly maxBytes: number;
}

/**
 * Decoded, interleaved 8-bit pixels. `channels` 3 is sRGB, 1 is grey.
 * `data.length === width * height * channels`.
 */
export interface RawImage {
  readonly data: Buffer;
  /** Pixels. */
  readonly width: number;
  /** Pixels. */
  readonly height: number;
  readonly channels: 1 | 3;
}

/** Cheap quality figures, measured on a grey copy whose long side is 512 px. */
export interface ImageQuality {
  /** Variance of the 4-neighbour Laplacian in the sharpest tenth of the image (32 px tiles), in grey levels²; higher is sharper. */
  readonly sharpness: number;
  /** Mean grey level, 0..255. */
  readonly meanLuma: number;
  /** Share (0..1) of pixels with grey level ≤ 16. */
  readonly darkFraction: number;
  /** Share (0..1) of pixels with grey level ≥ 239. */
  readonly brightFraction: number;
  /** Grey level of the 5th percentile: high when nothing dark is left (overexposed). */
  readonly shadowLuma: number;
  /** Grey level of the 98th percentile: low when nothing bright is left (underexposed). */
  readonly highlightLuma: number;
}

/** An image that may enter the dataset. */
export interface InspectOk {
  readonly kind: 'ok';
  readonly format: AcceptedFormat;
  /** Pixels, after EXIF orientation. */
  readonly width: number;
  /** Pixels, after EXIF orientation. */
  readonly height: number;
  /** EXIF orientation tag (1..8) of the input; 1 when absent. */
  readonly orientation: number;
  /**
   * Full-resolution JPEG of the upright image. A JPEG input with orientation 1 is
   * returned byte for byte (same Buffer, no re-encode; EXIF kept) unless it is CMYK;
   * anything else is sRGB JPEG q90, alpha flattened onto white, metadata stripped.
   */
  readonly oriented: Buffer;
  /** SHA-256 of the original input bytes, lowercase hex (64 chars). */
  readonly sha256: string;
  /** 64-bit DCT perceptual hash of the upright image, 16 lowercase hex chars. */
  readonly phash: string;
  readonly quality: ImageQuality;
  /**
   * The upright image as sRGB pixels with long side ≤ 1280 (never enlarged). Decoded
   * once here so that `renderPreview` and the detector need not decode the full photo
   * again; pass `sourceSize: { width, height }` to `renderPreview` with it.
   */
  readonly display: RawImage;
}

/** A file refused before it became a photo; `detail` names what was found. */
export interface InspectRejected {
  readonly kind: 'rejected';
  readonly reason: RejectReason;
  /** E.g. the detected format (`'pdf'`, `'gif'`, `'heif'`), or the declared size `'16000×16000'`. */
  readonly detail?: string;
}

export type InspectResult = InspectOk | InspectRejected;
