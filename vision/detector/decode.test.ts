import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../image/inspect.js';
import { sceneJpeg } from '../image/test-images.js';
import { decodeForDetector } from './decode.js';
import { fitInside } from './preprocess.js';

const LIMITS = { maxInputPixels: 50e6, maxBytes: 30 * 1024 * 1024 };

/** Red left half, blue right half. */
function halves(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: width / 2, height, channels: 3, background: '#0000ff' } }, left: width / 2, top: 0 }])
    .png()
    .toBuffer();
}

describe('decodeForDetector', () => {
  it('decodes straight to the detector input size, never enlarging, sizes of the upright image', async () => {
    const big = await decodeForDetector(await sceneJpeg(1280, 960, 1), LIMITS);
    expect(big).toMatchObject({ kind: 'ok', format: 'jpeg', width: 1280, height: 960, image: { width: 640, height: 480, channels: 3 } });
    if (big.kind !== 'ok') return;
    expect(big.image.data.length).toBe(640 * 480 * 3);
    const small = await decodeForDetector(await sceneJpeg(320, 240, 2), LIMITS);
    expect(small).toMatchObject({ kind: 'ok', width: 320, height: 240, image: { width: 320, height: 240 } });
    const odd = await decodeForDetector(await sceneJpeg(1000, 333, 3), LIMITS, { maxSide: 480 });
    expect(odd).toMatchObject({ kind: 'ok', image: fitInside(1000, 333, 480) });
  });

  it('applies EXIF orientation: orientation 6 swaps the sides and puts the stored left half on top', async () => {
    const stored = await sharp(await halves(1600, 800)).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const r = await decodeForDetector(stored, LIMITS);
    if (r.kind !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
    expect(r).toMatchObject({ width: 800, height: 1600, image: { width: 320, height: 640 } });
    const at = (x: number, y: number): number[] => [...r.image.data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3)];
    expect(at(160, 40)[0]).toBeGreaterThan(200); // top: red
    expect(at(160, 600)[2]).toBeGreaterThan(200); // bottom: blue
  });

  it('refuses what inspectImage refuses, with the same reason, before decoding pixels', async () => {
    const jpeg = await sceneJpeg(320, 240, 5);
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).gif().toBuffer();
    const cases: [Buffer, typeof LIMITS][] = [
      [Buffer.alloc(0), LIMITS],
      [Buffer.alloc(2000, 1), { ...LIMITS, maxBytes: 1000 }],
      [Buffer.from('hello, not an image'), LIMITS],
      [gif, LIMITS],
      [Buffer.from('%PDF-1.4\n'), LIMITS],
      [jpeg.subarray(0, jpeg.length >> 1), LIMITS],
      [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]), LIMITS],
      [jpeg, { ...LIMITS, maxInputPixels: 10_000 }],
    ];
    const reasons: string[] = [];
    for (const [input, limits] of cases) {
      const mine = await decodeForDetector(input, limits);
      const theirs = await inspectImage(input, limits);
      expect(mine.kind).toBe('rejected');
      expect(theirs.kind).toBe('rejected');
      if (mine.kind === 'rejected' && theirs.kind === 'rejected') {
        expect(mine.reason).toBe(theirs.reason);
        reasons.push(mine.reason);
      }
    }
    expect(reasons).toEqual(['empty', 'too-large-file', 'not-an-image', 'unsupported-format', 'unsupported-format', 'corrupt', 'corrupt', 'too-many-pixels']);
  });
});
