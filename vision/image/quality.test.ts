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

/** A pointer gauge as a product photo: white dial, dark ticks and needle, on a white background. */
function productShotSvg(width: number, height: number): string {
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) * 0.36;
  const ticks = Array.from({ length: 11 }, (_, i) => {
    const a = Math.PI * (0.75 + 1.5 * (i / 10));
    return `<line x1="${cx + Math.cos(a) * r * 0.78}" y1="${cy + Math.sin(a) * r * 0.78}" x2="${cx + Math.cos(a) * r * 0.92}" y2="${cy + Math.sin(a) * r * 0.92}" stroke="#111" stroke-width="6"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>
<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fbfbfb" stroke="#333" stroke-width="${r * 0.14}"/>${ticks}
<line x1="${cx}" y1="${cy}" x2="${cx + r * 0.6}" y2="${cy - r * 0.4}" stroke="#000" stroke-width="8"/><circle cx="${cx}" cy="${cy}" r="14" fill="#000"/></svg>`;
}

/** A car dashboard at night: a black panel with a thin bright dial ring and markings. */
function dashboardSvg(width: number, height: number): string {
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) * 0.35;
  const ticks = Array.from({ length: 9 }, (_, i) => {
    const a = Math.PI * (0.75 + 1.5 * (i / 8));
    return `<line x1="${cx + Math.cos(a) * r * 0.8}" y1="${cy + Math.sin(a) * r * 0.8}" x2="${cx + Math.cos(a) * r * 0.95}" y2="${cy + Math.sin(a) * r * 0.95}" stroke="#f2f2f2" stroke-width="14"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#050505"/>
<circle cx="${cx}" cy="${cy}" r="${r}" fill="#101010" stroke="#d8d8d8" stroke-width="18"/>${ticks}
<line x1="${cx}" y1="${cy}" x2="${cx - r * 0.7}" y2="${cy - r * 0.2}" stroke="#ff5030" stroke-width="8"/></svg>`;
}

// Issue 14 point 6: the whole frame's brightness misjudged real photos; the other end of the range does not.
describe('exposure and sharpness of real-looking photos', () => {
  let product: Buffer;
  let dashboard: Buffer;
  beforeAll(async () => {
    product = await sharp(Buffer.from(productShotSvg(1600, 1200))).jpeg({ quality: 92 }).toBuffer();
    dashboard = await sharp(Buffer.from(dashboardSvg(1600, 1200))).jpeg({ quality: 92 }).toBuffer();
  });

  it('a gauge on a white background is mostly blown out, yet keeps its dark detail and is sharp', async () => {
    const q = await qualityOf(product);
    expect(q.brightFraction).toBeGreaterThan(0.6);
    expect(q.shadowLuma).toBeLessThan(170);
    expect(q.sharpness).toBeGreaterThan(80);
  });

  it('a dark dashboard is mostly black, yet keeps its bright markings', async () => {
    const q = await qualityOf(dashboard);
    expect(q.meanLuma).toBeLessThan(45);
    expect(q.highlightLuma).toBeGreaterThanOrEqual(100);
  });

  it('truly over- and underexposed copies lose the other end of the range', async () => {
    const original = await qualityOf(await sceneJpeg(1600, 1200, 21));
    const over = await qualityOf(await sharp(await sceneJpeg(1600, 1200, 21)).linear(3, 60).jpeg().toBuffer());
    const under = await qualityOf(await sharp(await sceneJpeg(1600, 1200, 21)).linear(0.08, 0).jpeg().toBuffer());
    expect(original.shadowLuma).toBeLessThan(170);
    expect(original.highlightLuma).toBeGreaterThanOrEqual(100);
    expect(over.shadowLuma).toBeGreaterThan(170);
    expect(under.highlightLuma).toBeLessThan(100);
    const darkProduct = await qualityOf(await sharp(product).linear(0.15, 0).jpeg().toBuffer());
    expect(darkProduct.highlightLuma).toBeLessThan(100);
  });

  it('a blurred product shot falls below the sharpness limit although its sharp original is well above', async () => {
    // σ 12 at 1600 px is σ 4 on the 512 px copy the figure is measured on.
    const blurred = await qualityOf(await sharp(product).blur(12).jpeg().toBuffer());
    expect(blurred.sharpness).toBeLessThan(80);
  });
});
