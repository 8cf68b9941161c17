import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectImage } from './inspect.js';
import { measureQuality } from './quality.js';
import { sceneJpeg } from './test-images.js';
import type { ImageQuality } from './types.js';

const LIMITS = { maxInputPixels: 50e6, maxBytes: 30 * 1024 * 1024 };

async function qualityOf(input: Buffer): Promise<ImageQuality> {
  const r = await inspectImage(input, LIMITS);
  if (r.kind !== 'ok') throw new Error(`rejected: ${r.reason}`);
  return r.quality;
}

describe('measureQuality', () => {
  it('counts dark and bright pixels at the documented thresholds', () => {
    const data = Buffer.from([0, 16, 17, 128, 238, 239, 255, 100, 100, 100]);
    const q = measureQuality({ data, width: 5, height: 2, channels: 1 });
    expect(q.darkFraction).toBeCloseTo(0.2);
    expect(q.brightFraction).toBeCloseTo(0.2);
    expect(q.meanLuma).toBeCloseTo((0 + 16 + 17 + 128 + 238 + 239 + 255 + 300) / 10);
  });

  it('is 0 sharpness for a flat image and grows with edges', () => {
    const flat = measureQuality({ data: Buffer.alloc(100, 90), width: 10, height: 10, channels: 1 });
    expect(flat.sharpness).toBe(0);
    const checker = Buffer.alloc(100);
    for (let i = 0; i < 100; i++) checker[i] = (Math.floor(i / 10) + i) % 2 ? 255 : 0;
    expect(measureQuality({ data: checker, width: 10, height: 10, channels: 1 }).sharpness).toBeGreaterThan(1000);
  });

  it('refuses colour input', () => {
    expect(() => measureQuality({ data: Buffer.alloc(12), width: 2, height: 2, channels: 3 })).toThrow(RangeError);
  });
});

describe('inspectImage quality figures', () => {
  let original: Buffer;
  let q: ImageQuality;
  beforeAll(async () => {
    original = await sceneJpeg(1600, 1200, 21);
    q = await qualityOf(original);
  });

  it('a blurred copy is much less sharp than the original', async () => {
    const blurred = await qualityOf(await sharp(original).blur(4).jpeg().toBuffer());
    expect(blurred.sharpness).toBeLessThan(q.sharpness / 5);
  });

  it('sharpness does not depend on the resolution much (measured at long side 512)', async () => {
    const smaller = await qualityOf(await sharp(original).resize(1024, 768).jpeg({ quality: 90 }).toBuffer());
    expect(smaller.sharpness).toBeGreaterThan(q.sharpness / 2);
    expect(smaller.sharpness).toBeLessThan(q.sharpness * 2);
  });

  it('an underexposed copy is mostly dark', async () => {
    const dark = await qualityOf(await sharp(original).linear(0.08, 0).jpeg().toBuffer());
    expect(q.darkFraction).toBeLessThan(0.1);
    expect(dark.darkFraction).toBeGreaterThan(0.8);
    expect(dark.meanLuma).toBeLessThan(20);
  });

  it('an overexposed copy is mostly bright', async () => {
    const bright = await qualityOf(await sharp(original).linear(3, 60).jpeg().toBuffer());
    expect(bright.brightFraction).toBeGreaterThan(0.6);
    expect(bright.meanLuma).toBeGreaterThan(200);
  });
});
