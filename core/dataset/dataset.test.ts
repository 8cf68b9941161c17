import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { applyClassMapping, exportDataset, importDataset, mapClasses, toVocBox, type DatasetFormat, type DatasetImage } from './index.js';
import { CLASSES, sourceOfExport, syntheticInput } from './test-fixtures.js';

const TOLERANCE: Record<DatasetFormat, (img: DatasetImage) => number> = {
  // 6 decimals of a normalised value: ≤ 0.5e-6 per number, x1 = cx − w/2 sums two.
  yolo: (img) => 1.01e-6 * Math.max(img.width, img.height),
  coco: () => 1e-9,
  // Each edge rounded to the nearest integer pixel edge.
  voc: () => 0.5 + 1e-9,
};

describe('dataset round trip: export → import → the same boxes', () => {
  const input = syntheticInput(40);
  const sizes = new Map(input.images.map((i) => [i.fileName, { width: i.width, height: i.height }]));
  for (const format of ['yolo', 'coco', 'voc'] as const) {
    it(`${format}: every box, class and split survives within the format's rounding`, async () => {
      const exp = exportDataset(input, [format]);
      const result = await importDataset(sourceOfExport(exp, sizes));
      expect(result.kind).toBe('found');
      if (result.kind !== 'found') return;
      expect(result.dataset.format).toBe(format);
      expect(result.dataset.root).toBe(`A07/${format}`);
      expect(result.dataset.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const mapping = mapClasses(result.dataset.classes, CLASSES);
      expect(mapping.unmatched).toEqual([]);
      const { images } = applyClassMapping(result.dataset, mapping);
      expect(images).toHaveLength(input.images.length);
      const byName = new Map(images.map((i) => [i.fileName, i]));
      for (const want of input.images) {
        const got = byName.get(want.fileName);
        expect(got, want.fileName).toBeDefined();
        if (!got) continue;
        expect([got.split, got.width, got.height]).toEqual([want.split, want.width, want.height]);
        expect(got.boxes.map((b) => b.classId)).toEqual(want.boxes.map((b) => b.classId));
        const tol = TOLERANCE[format](want);
        got.boxes.forEach((b, k) => {
          const w = want.boxes[k];
          if (!w) throw new Error('box count differs');
          for (const key of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(b[key] - w[key]), `${want.fileName} box ${k} ${key}`).toBeLessThanOrEqual(tol);
        });
      }
    });
  }

  it('all three formats under one root named after the station, the COCO preferred on import', async () => {
    const exp = exportDataset(input);
    const roots = new Set(exp.files.map((f) => f.path.split('/').slice(0, 2).join('/')));
    expect([...roots].sort()).toEqual(['A07/coco', 'A07/voc', 'A07/yolo']);
    expect(exp.images).toHaveLength(3 * input.images.length);
    expect(exp.images.map((i) => i.path)).toContain('A07/yolo/images/val/IMG_0000.jpg');
    expect(exp.images.map((i) => i.path)).toContain('A07/coco/val/IMG_0000.jpg');
    expect(exp.images.map((i) => i.path)).toContain('A07/voc/JPEGImages/IMG_0000.jpg');
    const result = await importDataset(sourceOfExport(exp, sizes));
    if (result.kind !== 'found') throw new Error('not found');
    expect(result.detected.map((d) => d.format).sort()).toEqual(['coco', 'voc', 'yolo']);
    expect(result.dataset.format).toBe('coco');
  });
});

describe('the files load in the formats\' own readers', () => {
  const input = syntheticInput(6);
  const exp = exportDataset(input);
  const file = (p: string) => {
    const f = exp.files.find((x) => x.path === p);
    if (!f) throw new Error(`missing ${p}`);
    return f.content;
  };

  it('YOLO data.yaml parses with train/val folders, nc and names (no path key)', () => {
    const doc = parseYaml(file('A07/yolo/data.yaml')) as Record<string, unknown>;
    expect(doc).toMatchObject({ train: 'images/train', val: 'images/val', nc: 3, names: { 0: 'pressure_gauge', 1: 'digital_meter', 2: 'indicator_light' } });
    expect(doc.names_zh).toEqual({ 0: '压力表', 1: '数字仪表', 2: '指示灯' });
    expect(doc).not.toHaveProperty('path');
    const label = file('A07/yolo/labels/val/IMG_0000.txt');
    for (const line of label.trim().split('\n')) expect(line).toMatch(/^[0-2]( (0|1)\.\d{6}){4}$/);
  });

  it('COCO json has every field the format requires', () => {
    const coco = z.object({
      images: z.array(z.object({ id: z.number().int(), file_name: z.string(), width: z.number().int().positive(), height: z.number().int().positive() })),
      annotations: z.array(
        z.object({ id: z.number().int(), image_id: z.number().int(), category_id: z.number().int(), bbox: z.tuple([z.number(), z.number(), z.number().positive(), z.number().positive()]), area: z.number().positive(), iscrowd: z.literal(0) }),
      ),
      categories: z.array(z.object({ id: z.number().int(), name: z.string(), supercategory: z.string(), name_zh: z.string(), name_en: z.string() })),
    });
    for (const split of ['train', 'val']) {
      const doc = coco.parse(JSON.parse(file(`A07/coco/annotations/instances_${split}.json`)));
      const ids = new Set(doc.images.map((i) => i.id));
      expect(ids.size).toBe(doc.images.length);
      for (const a of doc.annotations) {
        expect(ids.has(a.image_id)).toBe(true);
        expect(a.area).toBeCloseTo(a.bbox[2] * a.bbox[3], 6);
      }
      expect(new Set(doc.annotations.map((a) => a.id)).size).toBe(doc.annotations.length);
      expect(doc.categories.map((c) => c.name_zh)).toEqual(['压力表', '数字仪表', '指示灯']);
    }
  });

  it('VOC xml parses with size, objects and 1-based integer bndbox inside the image', () => {
    const parser = new XMLParser({ isArray: (n) => n === 'object' });
    const img = input.images[1];
    if (!img) throw new Error('no image');
    const doc = parser.parse(file('A07/voc/Annotations/IMG_0001.xml')) as { annotation: { folder: string; filename: string; size: { width: number; height: number; depth: number }; object: { name: string; bndbox: Record<string, number> }[] } };
    expect(doc.annotation).toMatchObject({ folder: 'JPEGImages', filename: 'IMG_0001.jpg', size: { width: img.width, height: img.height, depth: 3 } });
    expect(doc.annotation.object).toHaveLength(img.boxes.length);
    for (const o of doc.annotation.object) {
      const b = o.bndbox as { xmin: number; ymin: number; xmax: number; ymax: number };
      for (const v of Object.values(b)) expect(Number.isInteger(v)).toBe(true);
      expect(b.xmin).toBeGreaterThanOrEqual(1);
      expect(b.xmax).toBeLessThanOrEqual(img.width);
      expect(b.xmin).toBeLessThanOrEqual(b.xmax);
    }
    expect(file('A07/voc/ImageSets/Main/val.txt').split('\n')).toContain('IMG_0000');
  });
});

describe('exportDataset', () => {
  it('clamps float noise past an edge and leaves out (and lists) boxes with no area', () => {
    const exp = exportDataset(
      {
        name: 'A07',
        task: 'competition',
        classes: CLASSES,
        images: [{ fileName: 'a.jpg', width: 100, height: 50, split: 'train', boxes: [{ classId: 0, x1: -0.001, y1: 0, x2: 100.0001, y2: 50 }, { classId: 1, x1: 10, y1: 10, x2: 10, y2: 40 }, { classId: 2, x1: 120, y1: 0, x2: 130, y2: 10 }] }],
      },
      ['coco'],
    );
    const doc = JSON.parse(exp.files.find((f) => f.path.endsWith('instances_train.json'))?.content ?? '{}') as { annotations: { bbox: number[] }[] };
    expect(doc.annotations.map((a) => a.bbox)).toEqual([[0, 0, 100, 50]]);
    expect(exp.skipped.map((s) => [s.fileName, s.box.classId])).toEqual([['a.jpg', 1], ['a.jpg', 2]]);
  });

  it('refuses names that would collide or escape the folder', () => {
    const img = { fileName: 'a.jpg', width: 10, height: 10, split: 'train' as const, boxes: [] };
    expect(() => exportDataset({ name: '../x', task: 't', classes: CLASSES, images: [] })).toThrow(/safe folder name/);
    expect(() => exportDataset({ name: 'A07', task: 't', classes: CLASSES, images: [img, { ...img, fileName: 'a.png' }] })).toThrow(/share the stem a/);
    expect(() => exportDataset({ name: 'A07', task: 't', classes: CLASSES, images: [{ ...img, fileName: 'x/a.jpg' }] })).toThrow(/safe base name/);
  });
});

describe('toVocBox', () => {
  it('rounds each edge to the nearest pixel edge, 1-based inclusive, clamped, never empty', () => {
    expect(toVocBox({ classId: 0, x1: 0, y1: 0, x2: 640, y2: 480 }, 640, 480)).toEqual({ xmin: 1, ymin: 1, xmax: 640, ymax: 480 });
    expect(toVocBox({ classId: 0, x1: 10.4, y1: 10.5, x2: 20.49, y2: 20.5 }, 640, 480)).toEqual({ xmin: 11, ymin: 12, xmax: 20, ymax: 21 });
    expect(toVocBox({ classId: 0, x1: 5.2, y1: 5.2, x2: 5.3, y2: 5.3 }, 640, 480)).toEqual({ xmin: 6, ymin: 6, xmax: 6, ymax: 6 });
    expect(toVocBox({ classId: 0, x1: 639.8, y1: 479.9, x2: 640, y2: 480 }, 640, 480)).toEqual({ xmin: 640, ymin: 480, xmax: 640, ymax: 480 });
  });
});
