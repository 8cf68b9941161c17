/**
 * Test helpers: paths of the committed ONNX fixtures (see `fixtures/make-fixture.py`)
 * and small images whose pixels those fixtures measure.
 */
import { fileURLToPath } from 'node:url';
import type { RawImage } from '../image/types.js';

/** Follows the contract; 7 boxes at fixed fractions of W/H (see make-fixture.py). */
export const FIXTURE_MODEL = fileURLToPath(new URL('./fixtures/detector.onnx', import.meta.url));
/** Follows the contract; one box (0.25..0.75 of W and H, class 2, score 0.95). */
export const FIXTURE_MODEL_ALT = fileURLToPath(new URL('./fixtures/detector-alt.onnx', import.meta.url));
/** The fixture graph with input `input` and outputs `out0..out2`. */
export const FIXTURE_BAD_NAMES = fileURLToPath(new URL('./fixtures/bad-names.onnx', import.meta.url));

/** An sRGB image with every pixel `px(x, y)`. */
export function rgbImage(width: number, height: number, px: (x: number, y: number) => readonly [number, number, number]): RawImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(px(x, y), (y * width + x) * 3);
  }
  return { data, width, height, channels: 3 };
}

/** An sRGB image of one colour. */
export function solidImage(width: number, height: number, rgb: readonly [number, number, number] = [128, 128, 128]): RawImage {
  return rgbImage(width, height, () => rgb);
}
