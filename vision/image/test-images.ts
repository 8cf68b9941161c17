/**
 * Deterministic test and benchmark images, generated with sharp (no binary fixtures).
 * Not part of the public API.
 */
import sharp from 'sharp';
import { seededRandom } from '../../core/index.js';

/** Small deterministic PRNG (core's mulberry32) so generated images are stable run to run. */
export const prng = seededRandom;

/**
 * A meter-like scene as SVG: a dial with ticks and a needle, a digit panel and a few
 * shapes whose placement depends on `seed`, over a gradient. Different seeds give
 * different scenes (for phash), the same seed the same picture.
 */
export function sceneSvg(width: number, height: number, seed: number): string {
  const rnd = prng(seed);
  const s = Math.min(width, height);
  const cx = width * (0.3 + 0.4 * rnd());
  const cy = height * (0.3 + 0.4 * rnd());
  const r = s * (0.2 + 0.1 * rnd());
  const ticks: string[] = [];
  for (let i = 0; i <= 10; i++) {
    const a = Math.PI * (0.75 + 1.5 * (i / 10));
    const [c, sn] = [Math.cos(a), Math.sin(a)];
    ticks.push(
      `<line x1="${cx + c * r * 0.8}" y1="${cy + sn * r * 0.8}" x2="${cx + c * r * 0.95}" y2="${cy + sn * r * 0.95}" stroke="#111" stroke-width="${s / 150}"/>`,
    );
  }
  const needle = Math.PI * (0.75 + 1.5 * rnd());
  const shapes: string[] = [];
  for (let i = 0; i < 6; i++) {
    const hue = Math.floor(rnd() * 360);
    shapes.push(
      `<rect x="${rnd() * width * 0.8}" y="${rnd() * height * 0.8}" width="${s * (0.05 + 0.2 * rnd())}" height="${s * (0.05 + 0.2 * rnd())}" fill="hsl(${hue},60%,${30 + rnd() * 40}%)"/>`,
    );
  }
  const g1 = Math.floor(rnd() * 360);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="${rnd() > 0.5 ? 1 : 0}" y2="1">
<stop offset="0" stop-color="hsl(${g1},25%,70%)"/><stop offset="1" stop-color="hsl(${(g1 + 120) % 360},25%,35%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}
<circle cx="${cx}" cy="${cy}" r="${r}" fill="#f4f1e8" stroke="#222" stroke-width="${s / 60}"/>${ticks.join('')}
<line x1="${cx}" y1="${cy}" x2="${cx + Math.cos(needle) * r * 0.85}" y2="${cy + Math.sin(needle) * r * 0.85}" stroke="#c00" stroke-width="${s / 80}"/>
<rect x="${width * 0.05}" y="${height * 0.05}" width="${s * 0.45}" height="${s * 0.18}" fill="#203020"/>
<text x="${width * 0.07}" y="${height * 0.05 + s * 0.15}" font-family="monospace" font-size="${s * 0.14}" fill="#8f8">${(rnd() * 1000).toFixed(1)}</text>
</svg>`;
}

/**
 * A scene with photo-like texture: the SVG scene plus per-pixel noise of ± `noise`
 * grey levels, as an 8-bit sRGB raw buffer. Noise makes JPEG sizes and decode times
 * realistic (a flat-colour JPEG decodes unrealistically fast).
 */
export async function texturedScene(
  width: number,
  height: number,
  seed: number,
  noise = 12,
): Promise<{ data: Buffer; width: number; height: number; channels: 3 }> {
  const data = await sharp(Buffer.from(sceneSvg(width, height, seed)))
    .removeAlpha()
    .raw()
    .toBuffer();
  const rnd = prng(seed ^ 0x5eed);
  const words = new Uint32Array(Math.ceil(data.length / 4));
  for (let i = 0; i < words.length; i++) words[i] = (rnd() * 4294967296) >>> 0;
  const bytes = new Uint8Array(words.buffer);
  const span = 2 * noise + 1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]! + (bytes[i]! % span) - noise;
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data, width, height, channels: 3 };
}

/** `texturedScene` encoded as JPEG (quality 90 unless given). */
export async function sceneJpeg(width: number, height: number, seed: number, quality = 90): Promise<Buffer> {
  const raw = await texturedScene(width, height, seed);
  return sharp(raw.data, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}
