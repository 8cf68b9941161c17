import { describe, expect, it } from 'vitest';
import type { RawImage } from '../image/types.js';
import { fillChw, fitInside } from './preprocess.js';
import { rgbImage as rgb } from './test-fixtures.js';

describe('fitInside', () => {
  it('fits the long side to maxSide, keeps the aspect ratio and never enlarges', () => {
    expect(fitInside(1280, 960, 640)).toEqual({ width: 640, height: 480 });
    expect(fitInside(960, 1280, 640)).toEqual({ width: 480, height: 640 });
    expect(fitInside(1000, 333, 640)).toEqual({ width: 640, height: 213 });
    expect(fitInside(320, 240, 640)).toEqual({ width: 320, height: 240 });
    expect(fitInside(5000, 2, 640)).toEqual({ width: 640, height: 1 });
  });

  it('refuses empty images and a bad maxSide', () => {
    expect(() => fitInside(0, 10, 640)).toThrow(RangeError);
    expect(() => fitInside(10, 10, 0)).toThrow(/maxSide/);
  });
});

describe('fillChw', () => {
  it('writes planes R, G, B in 0..1 without resizing', () => {
    const img = rgb(3, 2, (x, y) => [x * 100, y * 255, 51]);
    const out = new Float32Array(18).fill(-1);
    fillChw(img, { width: 3, height: 2 }, out);
    const r = Array.from(out.subarray(0, 6));
    const g = Array.from(out.subarray(6, 12));
    const b = Array.from(out.subarray(12, 18));
    expect(r.map((v) => Math.round(v * 255))).toEqual([0, 100, 200, 0, 100, 200]);
    expect(g).toEqual([0, 0, 0, 1, 1, 1]);
    expect(b.every((v) => Math.abs(v - 0.2) < 1e-6)).toBe(true);
  });

  it('averages 2×2 blocks on a 2:1 downscale', () => {
    const img = rgb(4, 2, (x, y) => [x < 2 ? (y === 0 ? 0 : 200) : 255, x % 2 === 0 ? 100 : 0, 0]);
    const out = new Float32Array(3 * 2 * 1);
    fillChw(img, { width: 2, height: 1 }, out);
    expect(Array.from(out).map((v) => Math.round(v * 255 * 10) / 10)).toEqual([100, 255, 50, 50, 0, 0]);
  });

  it('fills all three planes from a grey image', () => {
    const img: RawImage = { data: Buffer.from([0, 255, 51, 102]), width: 2, height: 2, channels: 1 };
    const out = new Float32Array(12);
    fillChw(img, { width: 2, height: 2 }, out);
    const planes = [0, 1, 2].map((c) => Array.from(out.subarray(c * 4, c * 4 + 4)).map((v) => Math.round(v * 255)));
    expect(planes).toEqual([
      [0, 255, 51, 102],
      [0, 255, 51, 102],
      [0, 255, 51, 102],
    ]);
  });

  it('refuses an output of the wrong length or inconsistent image data', () => {
    const img = rgb(2, 2, () => [0, 0, 0]);
    expect(() => fillChw(img, { width: 2, height: 2 }, new Float32Array(11))).toThrow(/need 12/);
    expect(() => fillChw({ ...img, height: 3 }, { width: 2, height: 2 }, new Float32Array(12))).toThrow(/expected/);
  });
});
