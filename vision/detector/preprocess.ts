/**
 * The detector's input: interleaved 8-bit pixels → planar float32 [3, H, W], RGB, 0..1,
 * resized in the same pass. Plain JS over typed arrays, no allocation per pixel: a
 * 1280×960 `display` copy becomes a 640×480 tensor in a few milliseconds.
 */
import type { RawImage } from '../image/types.js';

/** Pixel size of the tensor fed to the model. */
export interface InputSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The size that fits `width × height` inside `maxSide` on its long side, keeping the
 * aspect ratio (rounded, at least 1 px); never enlarges.
 */
export function fitInside(width: number, height: number, maxSide: number): InputSize {
  if (!(width >= 1 && height >= 1)) throw new RangeError(`image size must be at least 1×1 px, got ${width}×${height}`);
  if (!(maxSide >= 1)) throw new RangeError(`maxSide must be ≥ 1 px, got ${maxSide}`);
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** `v / 255` for every byte value, so the inner loop multiplies once per sample. */
const INV_255 = 1 / 255;
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v * INV_255);

/**
 * Bilinear taps along one axis, half-pixel centres (like sharp/OpenCV `INTER_LINEAR`):
 * output index `o` reads source indices `i0[o]`, `i1[o]` with weight `1 - w[o]`, `w[o]`.
 * A 2:1 downscale therefore averages 2×2 source pixels exactly.
 */
function taps(src: number, dst: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const w = new Float32Array(dst);
  const ratio = src / dst;
  for (let o = 0; o < dst; o++) {
    const s = Math.min(Math.max((o + 0.5) * ratio - 0.5, 0), src - 1);
    const lo = Math.floor(s);
    i0[o] = lo;
    i1[o] = Math.min(lo + 1, src - 1);
    w[o] = s - lo;
  }
  return { i0, i1, w };
}

/**
 * Writes `image` resized to `size` into `out` as planes R, G, B of `size.width ×
 * size.height` floats in 0..1 (a grey image fills all three planes). `out` must hold
 * exactly `3 × width × height` floats; it is overwritten, never read.
 */
export function fillChw(image: RawImage, size: InputSize, out: Float32Array): void {
  const { width: W, height: H, channels: C, data } = image;
  const { width: w, height: h } = size;
  const plane = w * h;
  if (out.length !== 3 * plane) throw new RangeError(`fillChw: out holds ${out.length} floats, need ${3 * plane}`);
  if (data.length !== W * H * C) {
    throw new RangeError(`fillChw: image data is ${data.length} bytes, expected ${W}×${H}×${C} = ${W * H * C}`);
  }
  const g = C === 3 ? 1 : 0;
  const b = C === 3 ? 2 : 0;
  if (w === W && h === H) {
    for (let p = 0, s = 0; p < plane; p++, s += C) {
      out[p] = BYTE_TO_UNIT[data[s]!]!;
      out[p + plane] = BYTE_TO_UNIT[data[s + g]!]!;
      out[p + 2 * plane] = BYTE_TO_UNIT[data[s + b]!]!;
    }
    return;
  }
  const xs = taps(W, w);
  const ys = taps(H, h);
  // Source byte offsets of each output column, so the row loop only adds the row base.
  const x0 = xs.i0.map((i) => i * C);
  const x1 = xs.i1.map((i) => i * C);
  const rowBytes = W * C;
  for (let oy = 0, p = 0; oy < h; oy++) {
    const r0 = ys.i0[oy]! * rowBytes;
    const r1 = ys.i1[oy]! * rowBytes;
    const wy = ys.w[oy]!;
    const top = (1 - wy) * INV_255;
    const bottom = wy * INV_255;
    for (let ox = 0; ox < w; ox++, p++) {
      const wx = xs.w[ox]!;
      const a = r0 + x0[ox]!;
      const c = r0 + x1[ox]!;
      const d = r1 + x0[ox]!;
      const e = r1 + x1[ox]!;
      const wa = (1 - wx) * top;
      const wc = wx * top;
      const wd = (1 - wx) * bottom;
      const we = wx * bottom;
      out[p] = data[a]! * wa + data[c]! * wc + data[d]! * wd + data[e]! * we;
      out[p + plane] = data[a + g]! * wa + data[c + g]! * wc + data[d + g]! * wd + data[e + g]! * we;
      out[p + 2 * plane] = data[a + b]! * wa + data[c + b]! * wc + data[d + b]! * wd + data[e + b]! * we;
    }
  }
}
