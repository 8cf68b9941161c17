import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_MAX_SIDE, inspectImage } from './inspect.js';
import { sceneJpeg, texturedScene } from './test-images.js';
import type { InspectOk, InspectResult } from './types.js';

const LIMITS = { maxInputPixels: 50e6, maxBytes: 30 * 1024 * 1024 };

function expectOk(r: InspectResult): InspectOk {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${r.reason} (${r.detail ?? ''})`);
  return r;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG made of a signature, an IHDR declaring `width`×`height` RGB, and IEND: no pixel data. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Red left half, blue right half. */
function halves(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: width / 2, height, channels: 3, background: '#0000ff' } }, left: width / 2, top: 0 }])
    .png()
    .toBuffer();
}

function frame(color: string): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: color } }).png().toBuffer();
}

async function twoFrames(format: 'gif' | 'webp'): Promise<Buffer> {
  const frames = [await frame('#f00'), await frame('#0f0')];
  return sharp(frames, { join: { animated: true } }).toFormat(format).toBuffer();
}

async function pixel(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('inspectImage accepts JPEG, PNG and WebP by content', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await sceneJpeg(640, 480, 1);
  });

  it('returns a JPEG with orientation 1 as the very same bytes, and the display copy', async () => {
    const r = expectOk(await inspectImage(jpeg, LIMITS));
    expect(r).toMatchObject({ format: 'jpeg', width: 640, height: 480, orientation: 1 });
    expect(r.oriented).toBe(jpeg);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(r.display).toMatchObject({ width: 640, height: 480, channels: 3 });
    expect(r.display.data.length).toBe(640 * 480 * 3);
  });

  it('hashes the original bytes', async () => {
    const r = expectOk(await inspectImage(jpeg, LIMITS));
    const { createHash } = await import('node:crypto');
    expect(r.sha256).toBe(createHash('sha256').update(jpeg).digest('hex'));
  });

  it.each(['png', 'webp'] as const)('re-encodes %s as a full-size JPEG', async (format) => {
    const raw = await texturedScene(300, 200, 2);
    const input = await sharp(raw.data, { raw: { width: 300, height: 200, channels: 3 } }).toFormat(format).toBuffer();
    const r = expectOk(await inspectImage(input, LIMITS));
    expect(r).toMatchObject({ format, width: 300, height: 200, orientation: 1 });
    const meta = await sharp(r.oriented).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 300, height: 200 });
  });

  it.each(['png', 'webp'] as const)('flattens %s alpha onto white and keeps 3 display channels', async (format) => {
    const input = await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .toFormat(format)
      .toBuffer();
    const r = expectOk(await inspectImage(input, LIMITS));
    expect(r.display.channels).toBe(3);
    for (const channel of await pixel(r.oriented, 20, 15)) expect(channel).toBeGreaterThan(250);
    expect(r.quality.meanLuma).toBeGreaterThan(250);
  });

  it('accepts greyscale JPEG and 16-bit PNG with 3-channel display copies', async () => {
    const grey = await sharp(await sceneJpeg(64, 48, 3)).greyscale().jpeg().toBuffer();
    const deep = await sharp(await sceneJpeg(64, 48, 3)).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    for (const input of [grey, deep]) {
      const r = expectOk(await inspectImage(input, LIMITS));
      expect(r.display).toMatchObject({ width: 64, height: 48, channels: 3 });
    }
  });

  it('re-encodes a CMYK JPEG as sRGB even with orientation 1', async () => {
    const cmyk = await sharp(await sceneJpeg(64, 48, 8)).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const r = expectOk(await inspectImage(cmyk, LIMITS));
    expect(r.oriented).not.toBe(cmyk);
    expect((await sharp(r.oriented).metadata()).space).toBe('srgb');
  });

  it('accepts a 10×10 PNG (too small is a cleaning verdict, not a decode failure)', async () => {
    const tiny = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#808080' } }).png().toBuffer();
    const r = expectOk(await inspectImage(tiny, LIMITS));
    expect(r).toMatchObject({ width: 10, height: 10 });
    expect(r.quality.sharpness).toBe(0);
  });

  it('caps the display copy at 1280 px on the long side', async () => {
    const big = await sceneJpeg(2000, 1000, 4);
    const r = expectOk(await inspectImage(big, LIMITS));
    expect(r.display).toMatchObject({ width: DISPLAY_MAX_SIDE, height: 640 });
  });
});

describe('inspectImage applies EXIF orientation', () => {
  it('swaps width/height and rotates pixels for orientation 6', async () => {
    const stored = await sharp(await halves(40, 20)).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const r = expectOk(await inspectImage(stored, LIMITS));
    expect(r).toMatchObject({ width: 20, height: 40, orientation: 6 });
    expect(r.oriented).not.toBe(stored);
    const meta = await sharp(r.oriented).metadata();
    expect(meta).toMatchObject({ width: 20, height: 40 });
    expect(meta.orientation ?? 1).toBe(1);
    // Orientation 6 = rotate 90° clockwise: the stored left (red) half ends up on top.
    const [tr, , tb] = await pixel(r.oriented, 10, 5);
    const [br, , bb] = await pixel(r.oriented, 10, 35);
    expect(tr).toBeGreaterThan(200);
    expect(tb).toBeLessThan(60);
    expect(br).toBeLessThan(60);
    expect(bb).toBeGreaterThan(200);
    expect(r.display).toMatchObject({ width: 20, height: 40 });
    expect(r.display.data[(5 * 20 + 10) * 3]).toBeGreaterThan(200);
  });
});

describe('inspectImage refuses the bad corpus with a reason', () => {
  const expectRejected = async (input: Buffer, reason: string, detail?: string, limits = LIMITS) => {
    const r = await inspectImage(input, limits);
    if (detail === undefined) expect(r).toMatchObject({ kind: 'rejected', reason });
    else expect(r).toEqual({ kind: 'rejected', reason, detail });
  };

  it('zero bytes → empty', async () => {
    expect(await inspectImage(Buffer.alloc(0), LIMITS)).toEqual({ kind: 'rejected', reason: 'empty' });
  });

  it('over maxBytes → too-large-file, before looking at content', async () => {
    await expectRejected(Buffer.alloc(2000, 0xff), 'too-large-file', '2000 bytes', { ...LIMITS, maxBytes: 1000 });
  });

  it('text (whatever the file was called) → not-an-image', async () => {
    await expectRejected(Buffer.from('hello, this is photo.jpg\n'), 'not-an-image', 'text');
  });

  it('random bytes → not-an-image', async () => {
    await expectRejected(Buffer.from([0x00, 0x13, 0x37, 0x00, 0xfe, 0x01, 0x02, 0x03, 0x04]), 'not-an-image');
  });

  it('a minimal PDF → unsupported-format pdf', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    await expectRejected(pdf, 'unsupported-format', 'pdf');
  });

  it('GIF, still or animated → unsupported-format gif', async () => {
    const still = await sharp(await frame('#f00')).gif().toBuffer();
    const animated = await twoFrames('gif');
    expect((await sharp(animated, { animated: true }).metadata()).pages).toBe(2);
    await expectRejected(still, 'unsupported-format', 'gif');
    await expectRejected(animated, 'unsupported-format', 'gif');
  });

  it('animated WebP → animated', async () => {
    const webp = await twoFrames('webp');
    expect((await sharp(webp, { animated: true }).metadata()).pages).toBe(2);
    await expectRejected(webp, 'animated', 'webp');
  });

  it('APNG (acTL with 2 frames before IDAT) → animated', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00f' } }).png().toBuffer();
    const actl = Buffer.alloc(8);
    actl.writeUInt32BE(2, 0);
    const ihdrEnd = 8 + 12 + 13;
    const apng = Buffer.concat([png.subarray(0, ihdrEnd), pngChunk('acTL', actl), png.subarray(ihdrEnd)]);
    await expectRejected(apng, 'animated', 'apng');
  });

  it('AVIF (which sharp could decode) → unsupported-format avif', async () => {
    const avif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#f00' } }).avif().toBuffer();
    await expectRejected(avif, 'unsupported-format', 'avif');
  });

  it('HEIC (ftyp heic) → unsupported-format heif', async () => {
    const ftyp = Buffer.alloc(24);
    ftyp.writeUInt32BE(24, 0);
    ftyp.write('ftypheic', 4, 'latin1');
    ftyp.write('mif1heic', 16, 'latin1');
    await expectRejected(Buffer.concat([ftyp, Buffer.alloc(64)]), 'unsupported-format', 'heif');
  });

  it('TIFF, BMP and SVG → unsupported-format by name', async () => {
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).tiff().toBuffer();
    await expectRejected(tiff, 'unsupported-format', 'tiff');
    const bmp = Buffer.alloc(58);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(58, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    await expectRejected(bmp, 'unsupported-format', 'bmp');
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    await expectRejected(svg, 'unsupported-format', 'svg');
  });

  it('a JPEG cut in half → corrupt', async () => {
    const jpeg = await sceneJpeg(320, 240, 5);
    const r = await inspectImage(jpeg.subarray(0, jpeg.length >> 1), LIMITS);
    expect(r).toMatchObject({ kind: 'rejected', reason: 'corrupt' });
  });

  it('JPEG or PNG magic followed by garbage → corrupt', async () => {
    const junk = Buffer.alloc(200, 0x41);
    await expectRejected(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), junk]), 'corrupt');
    await expectRejected(Buffer.concat([PNG_SIGNATURE, junk]), 'corrupt');
  });

  it('a PNG whose IHDR declares 16000×16000 → too-many-pixels from the header alone', async () => {
    // No IDAT at all: the only way to answer is from the header.
    await expectRejected(pngHeaderOnly(16000, 16000), 'too-many-pixels', '16000×16000');
  });

  it('a JPEG whose SOF declares 16000×16000 → too-many-pixels', async () => {
    const jpeg = Buffer.from(await sceneJpeg(64, 48, 6));
    let sof = -1;
    for (let i = 2; i + 9 < jpeg.length; i++) {
      if (jpeg[i] === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2)) {
        sof = i;
        break;
      }
    }
    expect(sof).toBeGreaterThan(0);
    jpeg.writeUInt16BE(16000, sof + 5);
    jpeg.writeUInt16BE(16000, sof + 7);
    await expectRejected(jpeg, 'too-many-pixels', '16000×16000');
  });

  it('respects a small maxInputPixels for a real image', async () => {
    const jpeg = await sceneJpeg(200, 100, 7);
    await expectRejected(jpeg, 'too-many-pixels', '200×100', { ...LIMITS, maxInputPixels: 10_000 });
  });
});
