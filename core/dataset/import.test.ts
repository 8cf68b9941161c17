import { describe, expect, it } from 'vitest';
import { applyClassMapping, importDataset, mapClasses, type DatasetIssue } from './index.js';
import { CLASSES, memorySource } from './test-fixtures.js';

const IMG = { width: 1000, height: 500 };
const brief = (issues: DatasetIssue[]) => issues.map((i) => [i.code, i.severity, i.file, i.line ?? null]);

describe('import names every problem (file and line)', () => {
  it('YOLO: missing image, unlabelled image, empty file, malformed line, unknown class, box outside', async () => {
    const src = memorySource(
      {
        'ds/data.yaml': 'train: images/train\nval: images/val\nnames: [pressure_gauge, digital_meter]\n',
        'ds/labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2\n7 0.5 0.5 0.1 0.1\n0 0.95 0.5 0.2 0.2\n0 1.5 1.5 0.1 0.1\n0 0.5 0.5 0 0.1\n',
        'ds/labels/train/ghost.txt': '0 0.5 0.5 0.1 0.1\n',
        'ds/labels/val/c.txt': '',
      },
      { 'ds/images/train/a.jpg': IMG, 'ds/images/train/b.png': IMG, 'ds/images/val/c.jpg': IMG },
    );
    const r = await importDataset(src);
    if (r.kind !== 'found') throw new Error('not found');
    expect(r.dataset.format).toBe('yolo');
    expect(brief(r.dataset.issues)).toEqual(
      expect.arrayContaining([
        ['malformed', 'error', 'ds/labels/train/a.txt', 2],
        ['unknown-class', 'error', 'ds/labels/train/a.txt', 3],
        ['box-outside', 'warning', 'ds/labels/train/a.txt', 4],
        ['box-outside', 'error', 'ds/labels/train/a.txt', 5],
        ['box-degenerate', 'error', 'ds/labels/train/a.txt', 6],
        ['label-missing', 'warning', 'ds/images/train/b.png', null],
        ['empty-file', 'warning', 'ds/labels/val/c.txt', null],
        ['image-missing', 'error', 'ds/labels/train/ghost.txt', null],
      ]),
    );
    expect(r.dataset.issues).toHaveLength(8);
    const a = r.dataset.images.find((i) => i.fileName === 'a.jpg');
    // Line 1 kept as is, line 4 clamped to the right edge.
    expect(a?.boxes).toEqual([
      { sourceClass: 0, x1: 400, y1: 200, x2: 600, y2: 300 },
      { sourceClass: 0, x1: 850, y1: 200, x2: 1000, y2: 300 },
    ]);
    expect(r.dataset.images.map((i) => [i.fileName, i.split]).sort()).toEqual([['a.jpg', 'train'], ['b.png', 'train'], ['c.jpg', 'val']]);
  });

  it('YOLO from Roboflow: data.yaml with ../train/images and an absolute Colab path', async () => {
    const src = memorySource(
      {
        'rf/data.yaml': 'train: ../train/images\nval: /content/datasets/rf/valid/images\nnc: 1\nnames: [\'Indicator-Light\']\n',
        'rf/train/labels/a.txt': '0 0.5 0.5 0.5 0.5\n',
        'rf/valid/labels/b.txt': '0 0.5 0.5 0.5 0.5\n',
      },
      { 'rf/train/images/a.jpg': IMG, 'rf/valid/images/b.jpg': IMG },
    );
    const r = await importDataset(src);
    if (r.kind !== 'found') throw new Error('not found');
    expect(r.dataset.issues).toEqual([]);
    expect(r.dataset.images.map((i) => [i.path, i.split, i.boxes.length])).toEqual([['rf/train/images/a.jpg', 'train', 1], ['rf/valid/images/b.jpg', 'val', 1]]);
    expect([...mapClasses(r.dataset.classes, CLASSES).map]).toEqual([[0, 2]]);
    const bad = await importDataset(memorySource({ 'y/data.yaml': 'train: ../nowhere/images\nnames: [a]\n' }, {}));
    expect(bad.kind === 'found' && bad.dataset.issues.map((i) => [i.code, i.file])).toEqual([['malformed', 'y/data.yaml']]);
  });

  it('YOLO from labelImg: classes.txt beside the labels', async () => {
    const src = memorySource({ 'x/classes.txt': '压力表\nindicator light\n', 'x/p1.txt': '1 0.5 0.5 0.5 0.5\n' }, { 'x/p1.jpg': IMG });
    const r = await importDataset(src);
    if (r.kind !== 'found') throw new Error('not found');
    const m = mapClasses(r.dataset.classes, CLASSES);
    expect([...m.map]).toEqual([[0, 0], [1, 2]]);
    expect(applyClassMapping(r.dataset, m).images[0]?.boxes).toEqual([{ classId: 2, x1: 250, y1: 125, x2: 750, y2: 375 }]);
  });

  it('COCO: malformed json names its line; missing image, unknown category and bad bbox are named', async () => {
    const bad = memorySource({ 'annotations/instances_train.json': '{\n  "images": [\n  ,]\n}' }, {});
    const r1 = await importDataset(bad);
    expect(r1.kind).toBe('none');
    if (r1.kind === 'none') expect(brief(r1.issues)).toEqual([['malformed', 'error', 'annotations/instances_train.json', 3], ['no-dataset', 'error', undefined, null]]);

    const doc = {
      images: [{ id: 1, file_name: 'a.jpg', width: 1000, height: 500 }, { id: 2, file_name: 'gone.jpg', width: 1000, height: 500 }, { id: 3, file_name: 'b.jpg' }],
      annotations: [
        { id: 1, image_id: 1, category_id: 5, bbox: [10, 10, 100, 100] },
        { id: 2, image_id: 1, category_id: 1, bbox: [10, 10, 100] },
        { id: 3, image_id: 9, category_id: 1, bbox: [10, 10, 100, 100] },
        { id: 4, image_id: 1, category_id: 1, bbox: [10, 10, 100, 100] },
      ],
      categories: [{ id: 1, name: 'Digital Meter' }],
    };
    const r2 = await importDataset(memorySource({ 'd/annotations/instances_val.json': JSON.stringify(doc), 'd/empty.json': '' }, { 'd/val/a.jpg': IMG }));
    if (r2.kind !== 'found') throw new Error('not found');
    const f = 'd/annotations/instances_val.json';
    expect(brief(r2.dataset.issues)).toEqual([
      ['empty-file', 'error', 'd/empty.json', null],
      ['image-missing', 'error', f, null],
      ['malformed', 'error', f, null],
      ['unknown-class', 'error', f, null],
      ['malformed', 'error', f, null],
      ['malformed', 'error', f, null],
    ]);
    expect(r2.dataset.issues.map((i) => i.detail).join('\n')).toMatch(/gone\.jpg[\s\S]*images\[2\][\s\S]*category_id 5[\s\S]*annotations\[1\][\s\S]*image_id 9/);
    expect(r2.dataset.images).toEqual([{ path: 'd/val/a.jpg', fileName: 'a.jpg', width: 1000, height: 500, split: 'val', boxes: [{ sourceClass: 0, x1: 10, y1: 10, x2: 110, y2: 110 }] }]);
  });

  it('VOC: malformed xml names its line, a missing image and an unknown class name are named', async () => {
    const xml = (file: string, name: string) =>
      `<annotation><filename>${file}</filename><size><width>1000</width><height>500</height></size><object><name>${name}</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>1000</xmax><ymax>500</ymax></bndbox></object></annotation>`;
    const src = memorySource(
      {
        'v/Annotations/a.xml': xml('a.jpg', 'DOG'),
        'v/Annotations/b.xml': '<annotation>\n<filename>b.jpg\n</annotation>',
        'v/Annotations/c.xml': xml('c.jpg', '指示灯'),
        'v/Annotations/e.xml': ' ',
        'v/ImageSets/Main/val.txt': 'a\n',
      },
      { 'v/JPEGImages/a.jpg': IMG, 'v/JPEGImages/b.jpg': IMG },
    );
    const r = await importDataset(src);
    if (r.kind !== 'found') throw new Error('not found');
    expect(brief(r.dataset.issues)).toEqual([
      ['malformed', 'error', 'v/Annotations/b.xml', 3],
      ['image-missing', 'error', 'v/Annotations/c.xml', null],
      ['empty-file', 'error', 'v/Annotations/e.xml', null],
    ]);
    expect(r.dataset.images.map((i) => [i.fileName, i.split])).toEqual([['a.jpg', 'val']]);
    expect(r.dataset.images[0]?.boxes).toEqual([{ sourceClass: 0, x1: 0, y1: 0, x2: 1000, y2: 500 }]);
    const m = mapClasses(r.dataset.classes, CLASSES);
    expect(m.unmatched).toEqual([{ index: 0, source: { name: 'DOG' } }]);
    const applied = applyClassMapping(r.dataset, m);
    expect(applied.images[0]?.boxes).toEqual([]);
    expect(applied.issues.map((i) => [i.code, i.detail])).toEqual([['unknown-class', 'class "DOG" is not an exam class: 1 box(es) left out']]);
    const chosen = mapClasses(r.dataset.classes, CLASSES, new Map([[0, 1]]));
    expect(applyClassMapping(r.dataset, chosen).images[0]?.boxes[0]?.classId).toBe(1);
  });

  it('nothing recognisable is named as such', async () => {
    const r = await importDataset(memorySource({ 'readme.txt': 'hello' }, { 'a.jpg': IMG }));
    expect(r.kind === 'none' && r.issues.map((i) => i.code)).toEqual(['no-dataset']);
  });
});

describe('mapClasses', () => {
  it('matches key, zh or en ignoring case and separators; bare numbers by id; other names unmatched with a same-id suggestion', () => {
    const m = mapClasses(
      [{ id: 0, name: 'PRESSURE-GAUGE' }, { id: 1, name: '数字仪表' }, { id: 2, name: 'indicator light' }, { id: 3, name: '1' }, { id: 2, name: 'lamp' }, { name: 'cat' }],
      CLASSES,
    );
    expect([...m.map]).toEqual([[0, 0], [1, 1], [2, 2], [3, 1]]);
    expect([...m.how.values()]).toEqual(['name', 'name', 'name', 'id']);
    expect(m.unmatched).toEqual([{ index: 4, source: { id: 2, name: 'lamp' }, suggestedId: 2 }, { index: 5, source: { name: 'cat' } }]);
    const decided = mapClasses([{ id: 2, name: 'lamp' }, { name: 'cat' }], CLASSES, new Map([[0, 2], [1, null]]));
    expect([...decided.map]).toEqual([[0, 2]]);
    expect(decided.unmatched).toEqual([]);
  });
});
