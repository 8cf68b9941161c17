import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDataset } from './dataset.js';
import type { Manifest } from './dataset.js';
import { DEFAULT_CLASSES } from './types.js';
import { parseYoloLabel } from './yolo.js';

describe('generateDataset', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes images, YOLO labels, classes.txt and a manifest that agree', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'synth-'));
    const result = await generateDataset({ out: dir, count: 7, seed: 3, classes: DEFAULT_CLASSES, width: 320, height: 240 });
    expect(result).toEqual({ images: 7, boxes: 3 * 1 + 3 * 2 + 1 * 3 });

    expect(await readFile(path.join(dir, 'classes.txt'), 'utf8')).toBe('gauge_normal\ngauge_abnormal\ndigital\n');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.classes).toEqual([
      { id: 0, key: 'gauge_normal' },
      { id: 1, key: 'gauge_abnormal' },
      { id: 2, key: 'digital' },
    ]);
    expect(manifest.images).toHaveLength(7);
    expect((await readdir(path.join(dir, 'images'))).sort()).toEqual(manifest.images.map((im) => path.basename(im.path)).sort());
    expect((await readdir(dir)).some((f) => f.includes('.tmp-'))).toBe(false);

    const combos = new Set<string>();
    for (const im of manifest.images) {
      expect(path.isAbsolute(im.path)).toBe(true);
      expect([im.width, im.height]).toEqual([320, 240]);
      const jpeg = await readFile(im.path);
      expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      const labelPath = path.join(dir, 'labels', `${path.basename(im.path, '.jpg')}.txt`);
      const labels = parseYoloLabel(await readFile(labelPath, 'utf8'), im.width, im.height);
      expect(labels.map((b) => b.classId)).toEqual(im.boxes.map((b) => b.classId));
      labels.forEach((b, i) => {
        const m = im.boxes[i]!;
        for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(b[k] - m[k])).toBeLessThan(0.01);
      });
      combos.add(im.boxes.map((b) => b.classId).sort().join(','));
    }
    // Seven images of three classes: every combo of the plan exactly once.
    expect([...combos].sort()).toEqual(['0', '0,1', '0,1,2', '0,2', '1', '1,2', '2']);
  });
});
