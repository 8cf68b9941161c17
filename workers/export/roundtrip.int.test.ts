import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyClassMapping, exportDataset, importDataset, mapClasses, type DatasetFormat } from '../../core/index.js';
import { CLASSES, syntheticInput } from '../../core/dataset/test-fixtures.js';
import { dirSource, extractZip, writeDatasetZip } from './index.js';

const input = syntheticInput(100, 11, { width: 640, height: 480 });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dataset-rt-'));
  for (const img of input.images) {
    await sharp({ create: { width: img.width, height: img.height, channels: 3, background: { r: 90, g: 120, b: 150 } } })
      .jpeg({ quality: 70 })
      .toFile(join(dir, img.fileName));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TOLERANCE: Record<DatasetFormat, number> = { yolo: 1.01e-6 * 1120, coco: 1e-9, voc: 0.5 + 1e-9 };

describe('100 photos: export in three formats → zip → read back → import each format', () => {
  it('gives back every photo, box, class and split', async () => {
    const t0 = performance.now();
    const exp = exportDataset(input);
    const t1 = performance.now();
    const zipPath = join(dir, 'A07.zip');
    const { bytes } = await writeDatasetZip(zipPath, exp, (f) => join(dir, f));
    const t2 = performance.now();
    console.log(`export of ${input.images.length} photos in 3 formats: model ${(t1 - t0).toFixed(0)} ms, zip ${(t2 - t1).toFixed(0)} ms, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${exp.files.length + exp.images.length} entries`);

    const out = join(dir, 'extracted');
    const read = await extractZip(zipPath, out);
    if (read.kind !== 'extracted') throw new Error(`refused: ${JSON.stringify(read)}`);
    expect(read.files).toHaveLength(exp.files.length + exp.images.length);
    const source = dirSource(out, read.files, async (file) => {
      const m = await sharp(file).metadata();
      return m.width && m.height ? { width: m.width, height: m.height } : undefined;
    });
    for (const format of ['yolo', 'coco', 'voc'] as const) {
      const r = await importDataset(source, (found) => found.find((d) => d.format === format));
      if (r.kind !== 'found') throw new Error(`${format} not found`);
      expect(r.dataset.format).toBe(format);
      expect(r.dataset.issues).toEqual([]);
      const mapping = mapClasses(r.dataset.classes, CLASSES);
      expect(mapping.unmatched).toEqual([]);
      const { images } = applyClassMapping(r.dataset, mapping);
      expect(images.map((i) => i.fileName).sort()).toEqual(input.images.map((i) => i.fileName).sort());
      const byName = new Map(images.map((i) => [i.fileName, i]));
      let worst = 0;
      for (const want of input.images) {
        const got = byName.get(want.fileName);
        expect([got?.split, got?.width, got?.height, got?.boxes.map((b) => b.classId)]).toEqual([want.split, want.width, want.height, want.boxes.map((b) => b.classId)]);
        got?.boxes.forEach((b, k) => {
          const w = want.boxes[k];
          if (w) for (const key of ['x1', 'y1', 'x2', 'y2'] as const) worst = Math.max(worst, Math.abs(b[key] - w[key]));
        });
      }
      expect(worst, `${format} worst edge error (px)`).toBeLessThanOrEqual(TOLERANCE[format]);
    }
  });
});
