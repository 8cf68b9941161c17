import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderRigPhoto } from './render.js';
import { createRng } from './rng.js';
import { composeScene } from './scene.js';
import { DEFAULT_CLASSES } from './types.js';
import type { SynthBox, SynthClass } from './types.js';

const ALL: SynthClass[] = [
  ...DEFAULT_CLASSES,
  { id: 3, key: 'light_on', kind: 'light-on' },
  { id: 4, key: 'light_off', kind: 'light-off' },
];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function expectValidBoxes(boxes: readonly SynthBox[], width: number, height: number): void {
  for (const b of boxes) {
    expect(b.x1).toBeGreaterThanOrEqual(0);
    expect(b.y1).toBeGreaterThanOrEqual(0);
    expect(b.x2).toBeLessThanOrEqual(width);
    expect(b.y2).toBeLessThanOrEqual(height);
    expect(b.x2 - b.x1).toBeGreaterThan(0.05 * Math.min(width, height));
    expect(b.y2 - b.y1).toBeGreaterThan(0.05 * Math.min(width, height));
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const c = boxes[j]!;
      const isApart = a.x2 <= c.x1 || c.x2 <= a.x1 || a.y2 <= c.y1 || c.y2 <= a.y1;
      expect(isApart).toBe(true);
    }
  }
}

describe('renderRigPhoto', () => {
  it('gives identical bytes for the same seed and different bytes for another', async () => {
    const opts = { seed: 1234, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'] };
    const [a, b, c] = await Promise.all([renderRigPhoto(opts), renderRigPhoto(opts), renderRigPhoto({ ...opts, seed: 1235 })]);
    expect(sha(a.jpeg)).toBe(sha(b.jpeg));
    expect(a.boxes).toEqual(b.boxes);
    expect(sha(c.jpeg)).not.toBe(sha(a.jpeg));
  });

  it('returns a JPEG of the asked size with one box per combo class, in combo order', async () => {
    const photo = await renderRigPhoto({ seed: 5, classes: ALL, combo: ['light_off', 'digital', 'gauge_abnormal'], width: 512, height: 384 });
    const meta = await sharp(photo.jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 512, 384]);
    expect(photo.boxes.map((b) => b.classId)).toEqual([4, 2, 1]);
    expectValidBoxes(photo.boxes, 512, 384);
  });

  it('rejects unknown or repeated keys and oversized combos with a fix-it message', async () => {
    await expect(renderRigPhoto({ seed: 1, classes: DEFAULT_CLASSES, combo: ['dial'] })).rejects.toThrow(/known keys: gauge_normal/);
    await expect(renderRigPhoto({ seed: 1, classes: DEFAULT_CLASSES, combo: ['digital', 'digital'] })).rejects.toThrow(/repeats/);
    await expect(renderRigPhoto({ seed: 1, classes: ALL, combo: ALL.map((c) => c.key) })).rejects.toThrow(/1–3/);
  });
});

describe('composeScene layout', () => {
  it('keeps boxes inside the image and apart for many seeds, sizes and difficulties', () => {
    for (let seed = 0; seed < 150; seed++) {
      const rng = createRng(seed);
      const classes = rng.shuffle(ALL).slice(0, 1 + (seed % 3));
      const [width, height] = rng.pick([[640, 480], [480, 640], [320, 240], [1024, 768]] as const);
      const scene = composeScene(rng, { width, height, difficulty: (seed % 11) / 10, classes });
      expect(scene.boxes.map((b) => b.classId)).toEqual(classes.map((c) => c.id));
      expectValidBoxes(scene.boxes, width, height);
    }
  });
});

describe('box tightness', () => {
  it('matches the pixels the meter covers to within a pixel on every side', async () => {
    const combos = [[0, 1, 2], [3, 4], [2, 0], [4, 1, 3], [1], [2]];
    for (let i = 0; i < combos.length; i++) {
      const classes = combos[i]!.map((k) => ALL[k]!);
      const width = 320;
      const height = 240;
      const scene = composeScene(createRng(100 + i), { width, height, difficulty: 1, classes, isBare: true });
      const { data } = await sharp(Buffer.from(scene.svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      for (const box of scene.boxes) {
        // Extent of non-magenta pixels within the box grown by 3 px (boxes are ≥ 4 px apart).
        const gx1 = Math.max(0, Math.floor(box.x1) - 3);
        const gy1 = Math.max(0, Math.floor(box.y1) - 3);
        const gx2 = Math.min(width, Math.ceil(box.x2) + 3);
        const gy2 = Math.min(height, Math.ceil(box.y2) + 3);
        let x1 = Infinity;
        let y1 = Infinity;
        let x2 = -Infinity;
        let y2 = -Infinity;
        for (let y = gy1; y < gy2; y++) {
          for (let x = gx1; x < gx2; x++) {
            const o = (y * width + x) * 3;
            const isMeter = 255 - data[o]! > 40 || data[o + 1]! > 40 || 255 - data[o + 2]! > 40;
            if (!isMeter) continue;
            x1 = Math.min(x1, x);
            y1 = Math.min(y1, y);
            x2 = Math.max(x2, x + 1);
            y2 = Math.max(y2, y + 1);
          }
        }
        const what = `${ALL[box.classId]!.key} in scene ${i}`;
        expect(Math.abs(x1 - box.x1), what).toBeLessThanOrEqual(1);
        expect(Math.abs(y1 - box.y1), what).toBeLessThanOrEqual(1);
        expect(Math.abs(x2 - box.x2), what).toBeLessThanOrEqual(1);
        expect(Math.abs(y2 - box.y2), what).toBeLessThanOrEqual(1);
      }
    }
  });
});
