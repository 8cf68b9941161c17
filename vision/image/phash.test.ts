import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectImage } from './inspect.js';
import { hammingHex, perceptualHash } from './phash.js';
import { sceneJpeg } from './test-images.js';

const LIMITS = { maxInputPixels: 50e6, maxBytes: 30 * 1024 * 1024 };

async function phashOf(input: Buffer): Promise<string> {
  const r = await inspectImage(input, LIMITS);
  if (r.kind !== 'ok') throw new Error(`rejected: ${r.reason}`);
  return r.phash;
}

describe('hammingHex', () => {
  it('counts differing bits', () => {
    expect(hammingHex('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingHex('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingHex('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingHex('ABCDEF', 'abcdef')).toBe(0);
  });

  it('throws on mismatched or non-hex input', () => {
    expect(() => hammingHex('00', '000')).toThrow(RangeError);
    expect(() => hammingHex('0g', '00')).toThrow(RangeError);
  });
});

describe('perceptualHash', () => {
  it('is 16 hex chars and does not depend on the grey copy being square', () => {
    const data = Buffer.alloc(50 * 20);
    for (let i = 0; i < data.length; i++) data[i] = (i % 50) * 5;
    const h = perceptualHash({ data, width: 50, height: 20, channels: 1 });
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(perceptualHash({ data: Buffer.alloc(3, 7), width: 3, height: 1, channels: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });

  describe('near duplicates stay within 6 bits, different scenes differ by more than 15', () => {
    let original: Buffer;
    let base: string;
    beforeAll(async () => {
      original = await sceneJpeg(800, 600, 11);
      base = await phashOf(original);
    });

    it.each([
      ['re-encoded at q60', (b: Buffer) => sharp(b).jpeg({ quality: 60 }).toBuffer()],
      ['re-encoded as WebP', (b: Buffer) => sharp(b).webp({ quality: 70 }).toBuffer()],
      ['resized to 90%', (b: Buffer) => sharp(b).resize(720, 540).jpeg().toBuffer()],
      ['resized to 50%', (b: Buffer) => sharp(b).resize(400, 300).jpeg().toBuffer()],
      ['brightened by 10%', (b: Buffer) => sharp(b).modulate({ brightness: 1.1 }).jpeg().toBuffer()],
      ['darkened by 15 levels', (b: Buffer) => sharp(b).linear(1, -15).jpeg().toBuffer()],
      ['cropped by 1% on each side', (b: Buffer) => sharp(b).extract({ left: 8, top: 6, width: 784, height: 588 }).jpeg().toBuffer()],
    ])('%s', async (_, transform) => {
      const d = hammingHex(base, await phashOf(await transform(original)));
      expect(d).toBeLessThanOrEqual(6);
    });

    it('different scenes', async () => {
      const hashes = [base];
      for (const seed of [12, 13, 14, 15, 16]) hashes.push(await phashOf(await sceneJpeg(800, 600, seed)));
      for (let i = 0; i < hashes.length; i++) {
        for (let j = i + 1; j < hashes.length; j++) {
          expect(hammingHex(hashes[i]!, hashes[j]!), `scenes ${i} and ${j}`).toBeGreaterThan(15);
        }
      }
    });
  });
});
