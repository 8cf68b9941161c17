/**
 * Content sniffing: what a file is, from its first bytes. File names and MIME types
 * sent by the client are never trusted. Also reads the few header fields needed to
 * refuse a file before handing it to a decoder (PNG size, animation flags).
 */
import type { AcceptedFormat } from './types.js';

/** What the leading bytes say a file is. */
export type Sniffed =
  | { readonly kind: 'accepted'; readonly format: AcceptedFormat }
  /** A known image (or document) format the dataset does not take; `name` e.g. `'gif'`. */
  | { readonly kind: 'unsupported'; readonly name: string }
  /** Not a picture at all; `name` when recognised (`'text'`, `'zip'`, `'mp4'`). */
  | { readonly kind: 'not-an-image'; readonly name?: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ascii(buf: Buffer, start: number, end: number): string {
  return buf.toString('latin1', start, Math.min(end, buf.length));
}

function startsWith(buf: Buffer, bytes: readonly number[], at = 0): boolean {
  if (buf.length < at + bytes.length) return false;
  return bytes.every((b, i) => buf[at + i] === b);
}

/** HEIF / AVIF / MP4 / MOV share the ISO-BMFF `ftyp` box; the brands tell them apart. */
function sniffIsoBmff(buf: Buffer): Sniffed | undefined {
  if (ascii(buf, 4, 8) !== 'ftyp') return undefined;
  const boxSize = buf.readUInt32BE(0);
  const end = Math.min(buf.length, boxSize >= 16 ? boxSize : 32);
  const brands = new Set<string>([ascii(buf, 8, 12)]);
  for (let at = 16; at + 4 <= end; at += 4) brands.add(ascii(buf, at, at + 4));
  if (brands.has('avif') || brands.has('avis')) return { kind: 'unsupported', name: 'avif' };
  for (const b of ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']) {
    if (brands.has(b)) return { kind: 'unsupported', name: 'heif' };
  }
  if (brands.has('qt  ')) return { kind: 'not-an-image', name: 'mov' };
  return { kind: 'not-an-image', name: 'mp4' };
}

/** True when the first bytes look like text: no control bytes other than whitespace. */
function looksLikeText(buf: Buffer): boolean {
  const n = Math.min(buf.length, 1024);
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/**
 * Identifies a file by its magic bytes. JPEG, PNG and WebP are accepted; other image
 * formats are named so the user can be told what they sent.
 */
export function sniffFormat(buf: Buffer): Sniffed {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { kind: 'accepted', format: 'jpeg' };
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { kind: 'accepted', format: 'png' };
  }
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') {
    return { kind: 'accepted', format: 'webp' };
  }
  const head6 = ascii(buf, 0, 6);
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return { kind: 'unsupported', name: 'gif' };
  if (ascii(buf, 0, 1024).includes('%PDF-')) return { kind: 'unsupported', name: 'pdf' };
  const iso = buf.length >= 12 ? sniffIsoBmff(buf) : undefined;
  if (iso) return iso;
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { kind: 'unsupported', name: 'tiff' };
  }
  if (ascii(buf, 0, 2) === 'BM' && buf.length >= 18) {
    const dibHeader = buf.readUInt32LE(14);
    if ([12, 16, 40, 52, 56, 64, 108, 124].includes(dibHeader)) {
      return { kind: 'unsupported', name: 'bmp' };
    }
  }
  if (startsWith(buf, [0xff, 0x0a]) || startsWith(buf, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) {
    return { kind: 'unsupported', name: 'jxl' };
  }
  if (startsWith(buf, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20])) {
    return { kind: 'unsupported', name: 'jp2' };
  }
  if (ascii(buf, 0, 4) === '8BPS') return { kind: 'unsupported', name: 'psd' };
  if (startsWith(buf, [0, 0, 1, 0]) && buf.length >= 6) return { kind: 'unsupported', name: 'ico' };
  if (ascii(buf, 0, 4) === 'PK\x03\x04') return { kind: 'not-an-image', name: 'zip' };
  if (looksLikeText(buf)) {
    if (/<svg[\s>]/i.test(ascii(buf, 0, 4096))) return { kind: 'unsupported', name: 'svg' };
    return { kind: 'not-an-image', name: 'text' };
  }
  return { kind: 'not-an-image' };
}

/** What a PNG's chunks declare before any pixel data. */
export interface PngHeader {
  /** Pixels, from IHDR. */
  readonly width: number;
  /** Pixels, from IHDR. */
  readonly height: number;
  /** An APNG with more than one frame (`acTL` before the first `IDAT`). */
  readonly isAnimated: boolean;
}

/**
 * Reads IHDR and looks for an APNG `acTL` chunk, walking chunk headers only (no
 * inflate, no allocation). Returns `undefined` when IHDR is missing or malformed.
 * Needed because libvips refuses to read the header of a PNG without pixel data,
 * and because a PNG declaring a huge size must be refused before decoding.
 */
export function readPngHeader(buf: Buffer): PngHeader | undefined {
  if (buf.length < 8 + 8 + 13 || ascii(buf, 12, 16) !== 'IHDR' || buf.readUInt32BE(8) !== 13) {
    return undefined;
  }
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width === 0 || height === 0) return undefined;
  let isAnimated = false;
  let at = 8;
  while (at + 8 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const type = ascii(buf, at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'acTL' && at + 12 <= buf.length) {
      isAnimated = buf.readUInt32BE(at + 8) > 1;
      break;
    }
    at += 12 + length;
  }
  return { width, height, isAnimated };
}

/** True when a WebP's VP8X header sets the animation flag. */
export function isAnimatedWebp(buf: Buffer): boolean {
  return buf.length >= 21 && ascii(buf, 12, 16) === 'VP8X' && (buf[20]! & 0x02) !== 0;
}
