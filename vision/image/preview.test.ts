import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectImage } from './inspect.js';
import { escapeXml, layoutLegend, legendHeight, overlaySvg, previewMetrics } from './preview-svg.js';
import { renderPreview } from './preview.js';
import { sceneJpeg } from './test-images.js';
import type { InspectOk } from './types.js';

async function rgbAt(jpeg: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

const grey = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } }).jpeg().toBuffer();

describe('renderPreview', () => {
  let photo: Buffer;
  beforeAll(async () => {
    photo = await sceneJpeg(1600, 1200, 31);
  });

  it('returns a JPEG fitted inside maxSide', async () => {
    const out = await renderPreview(photo, [], { maxSide: 400 });
    expect(await sharp(out).metadata()).toMatchObject({ format: 'jpeg', width: 400, height: 300 });
    const portrait = await renderPreview(await grey(300, 900), [], { maxSide: 600 });
    expect(await sharp(portrait).metadata()).toMatchObject({ width: 200, height: 600 });
  });

  it('defaults to 1280 and never enlarges', async () => {
    expect(await sharp(await renderPreview(photo, [])).metadata()).toMatchObject({ width: 1280, height: 960 });
    expect(await sharp(await renderPreview(await grey(200, 100), [])).metadata()).toMatchObject({ width: 200, height: 100 });
  });

  it('draws each box outline in its colour, scaled to the preview', async () => {
    const base = await grey(2000, 1000);
    const boxes = [
      { x1: 200, y1: 200, x2: 800, y2: 800, label: '1', color: '#ff0000' },
      { x1: 1200, y1: 300, x2: 1800, y2: 900, label: '2', color: '#0000ff' },
    ];
    const out = await renderPreview(base, boxes, { maxSide: 1000 });
    // Left edge of box 1 at x = 100 in the half-size preview, halfway down.
    const [r1, g1, b1] = await rgbAt(out, 100, 250);
    expect(r1).toBeGreaterThan(200);
    expect(g1).toBeLessThan(80);
    expect(b1).toBeLessThan(80);
    // Top edge of box 2 at y = 150.
    const [r2, , b2] = await rgbAt(out, 750, 150);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(80);
    // Inside the box the photo is untouched.
    const inside = await rgbAt(out, 250, 250);
    for (const c of inside) expect(Math.abs(c - 128)).toBeLessThan(10);
  });

  it('adds a legend strip below the picture', async () => {
    const legend = [
      { color: '#ff3030', text: '1 压力表 (pressure gauge)' },
      { color: '#2080ff', text: '2 温度计' },
    ];
    const out = await renderPreview(photo, [], { maxSide: 640, legend });
    const strip = legendHeight(legend, 640, 480);
    expect(strip).toBeGreaterThan(0);
    expect(await sharp(out).metadata()).toMatchObject({ width: 640, height: 480 + strip });
    const [r, g, b] = await rgbAt(out, 639, 480 + strip - 2);
    expect(Math.max(r, g, b)).toBeLessThan(60);
  });

  it('takes the display copy from inspectImage with box coordinates of the full photo', async () => {
    const r = (await inspectImage(photo, { maxInputPixels: 50e6, maxBytes: 3e7 })) as InspectOk;
    expect(r.kind).toBe('ok');
    const box = { x1: 400, y1: 300, x2: 1200, y2: 900, label: '1', color: '#00ff00' };
    const out = await renderPreview(r.display, [box], { maxSide: 800, sourceSize: r });
    expect(await sharp(out).metadata()).toMatchObject({ width: 800, height: 600 });
    const [red, green, blue] = await rgbAt(out, 200, 300);
    expect(green).toBeGreaterThan(200);
    expect(red + blue).toBeLessThan(160);
  });

  it('refuses a non-positive sourceSize or maxSide', async () => {
    const img = await grey(20, 10);
    await expect(renderPreview(img, [], { sourceSize: { width: 0, height: 10 } })).rejects.toThrow(RangeError);
    await expect(renderPreview(img, [], { maxSide: 0 })).rejects.toThrow(RangeError);
  });

  it('applies EXIF orientation to an encoded input', async () => {
    const sideways = await sharp(await grey(400, 200)).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await sharp(await renderPreview(sideways, [])).metadata()).toMatchObject({ width: 200, height: 400 });
  });
});

describe('overlay SVG', () => {
  it('escapes labels, legend text and colours', () => {
    const svg = overlaySvg(
      200,
      100,
      [{ x1: 10, y1: 10, x2: 50, y2: 50, label: '<1>', color: 'red" onload="x' }],
      [{ color: '#fff', text: 'a & b' }],
    );
    expect(svg).toContain('&#60;1&#62;');
    expect(svg).toContain('a &#38; b');
    expect(svg).not.toContain('" onload="');
    expect(escapeXml(`'"`)).toBe('&#39;&#34;');
  });

  it('skips empty boxes and keeps tags inside the image', () => {
    const svg = overlaySvg(200, 100, [{ x1: 50, y1: 50, x2: 50, y2: 90, label: '9', color: '#f00' }], []);
    expect(svg).not.toContain('>9<');
    const edge = overlaySvg(200, 100, [{ x1: 195, y1: 0, x2: 250, y2: 20, label: '12', color: '#f00' }], []);
    const tag = /<rect x="([\d.]+)" y="([\d.]+)" width="(\d+)"[^>]*rx=/.exec(edge);
    expect(tag).not.toBeNull();
    expect(Number(tag![1]) + Number(tag![3])).toBeLessThanOrEqual(200);
    expect(Number(tag![2])).toBeGreaterThanOrEqual(0);
  });

  it('wraps legend entries into rows and cuts text wider than the strip', () => {
    const m = previewMetrics(400, 300);
    const many = Array.from({ length: 8 }, (_, i) => ({ color: '#f00', text: `${i + 1} 数显表` }));
    const { rows, items } = layoutLegend(many, 400, m.legendFont, m.legendPad);
    expect(rows).toBeGreaterThan(1);
    expect(items.every((it) => it.x >= m.legendPad && it.x < 400)).toBe(true);
    const long = layoutLegend([{ color: '#f00', text: '很'.repeat(100) }], 400, m.legendFont, m.legendPad);
    expect(long.rows).toBe(1);
    expect(long.items[0]!.text.endsWith('…')).toBe(true);
  });
});
