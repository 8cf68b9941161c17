import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderRigPhoto } from './render.js';
import { createRng } from './rng.js';
import { composeScene } from './scene.js';
import { DEFAULT_CLASSES } from './types.js';

const GAUGE = [DEFAULT_CLASSES[0]!];

describe('stems and fittings under gauges', () => {
  it('leave a scene without them as it was, and never change the boxes', () => {
    const opts = { width: 640, height: 480, difficulty: 0.5, classes: DEFAULT_CLASSES };
    const plain = composeScene(createRng(77), opts);
    const zero = composeScene(createRng(77), { ...opts, fittings: 0 });
    const withStems = composeScene(createRng(77), { ...opts, fittings: 1 });
    expect(zero.svg).toBe(plain.svg);
    expect(withStems.boxes).toEqual(plain.boxes);
    expect(withStems.svg).not.toBe(plain.svg);
    expect(withStems.svg).toContain('-st"'); // the stem's metal gradient
  });

  it('draw beneath the gauge, outside its box: the pixels under the box change, the box does not', async () => {
    const opts = { seed: 4242, classes: GAUGE, combo: ['gauge_normal'], width: 640, height: 480, difficulty: 0 };
    const [plain, stem] = await Promise.all([renderRigPhoto(opts), renderRigPhoto({ ...opts, fittings: 1 })]);
    expect(stem.boxes).toEqual(plain.boxes);
    const b = plain.boxes[0]!;
    const raw = async (jpeg: Buffer) => (await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true })).data;
    const [p, s] = await Promise.all([raw(plain.jpeg), raw(stem.jpeg)]);
    // a strip just below the box centre: the stem is there in one photo and not in the other
    const diffBelow = (ya: number, yb: number): number => {
      let d = 0;
      const cx = Math.round((b.x1 + b.x2) / 2);
      for (let y = Math.max(0, Math.round(ya)); y < Math.min(480, Math.round(yb)); y++) {
        for (let x = cx - 3; x <= cx + 3; x++) for (let c = 0; c < 3; c++) d += Math.abs((p[(y * 640 + x) * 3 + c] ?? 0) - (s[(y * 640 + x) * 3 + c] ?? 0));
      }
      return d;
    };
    const h = b.y2 - b.y1;
    expect(diffBelow(b.y2 + 2, b.y2 + 0.15 * h)).toBeGreaterThan(0);
  });
});
