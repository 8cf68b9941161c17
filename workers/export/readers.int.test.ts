import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../core/index.js';
import { syntheticInput } from '../../core/dataset/test-fixtures.js';
import { extractZip, writeDatasetZip } from './index.js';

const PYTHON = '/usr/bin/python3';

/**
 * Reads the extracted export the way Python tools do: torchvision's `VOCDetection` on the
 * VOC folder, a CocoDetection-style read (json + PIL on `<split>/<file_name>`; Debian has
 * no pycocotools) and PyYAML + PIL on the YOLO folder. Prints counts as JSON.
 */
const SCRIPT = String.raw`
import json, os, sys, yaml
from PIL import Image
import torchvision
root = sys.argv[1]
out = {}
voc = torchvision.datasets.VOCDetection(os.path.join(sys.argv[2]), year='2012', image_set='train', download=False)
n = 0
for img, target in voc:
    a = target['annotation']
    assert img.size == (int(a['size']['width']), int(a['size']['height']))
    for o in a['object']:
        b = o['bndbox']
        assert 1 <= int(b['xmin']) <= int(b['xmax']) <= img.size[0]
        n += 1
out['voc'] = [len(voc), n]
coco = {}
for split in ('train', 'val'):
    d = json.load(open(os.path.join(root, 'coco', 'annotations', 'instances_%s.json' % split)))
    ids = {i['id']: i for i in d['images']}
    for i in d['images']:
        assert Image.open(os.path.join(root, 'coco', split, i['file_name'])).size == (i['width'], i['height'])
    for a in d['annotations']:
        i = ids[a['image_id']]
        x, y, w, h = a['bbox']
        assert 0 <= x and 0 <= y and x + w <= i['width'] + 1e-6 and y + h <= i['height'] + 1e-6
    coco[split] = [len(d['images']), len(d['annotations'])]
out['coco'] = coco
y = yaml.safe_load(open(os.path.join(root, 'yolo', 'data.yaml')))
boxes = 0
for split in ('train', 'val'):
    folder = os.path.join(root, 'yolo', y[split])
    for f in os.listdir(folder):
        Image.open(os.path.join(folder, f)).verify()
        label = os.path.join(root, 'yolo', 'labels', split, os.path.splitext(f)[0] + '.txt')
        for line in open(label):
            c, *xywh = line.split()
            assert 0 <= int(c) < y['nc'] and all(0 <= float(v) <= 1 for v in xywh)
            boxes += 1
out['yolo'] = [y['nc'], boxes]
print(json.dumps(out))
`;

const hasTorchvision = existsSync(PYTHON);
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasTorchvision)('the exported zip loads in Python readers', () => {
  it('torchvision VOCDetection, a COCO json + PIL read and PyYAML + PIL on YOLO agree on every count', async () => {
    dir = await mkdtemp(join(tmpdir(), 'readers-'));
    const input = syntheticInput(12, 5, { width: 300, height: 200 });
    for (const img of input.images) {
      await sharp({ create: { width: img.width, height: img.height, channels: 3, background: '#888' } }).jpeg().toFile(join(dir, img.fileName));
    }
    const zip = join(dir, 'A07.zip');
    await writeDatasetZip(zip, exportDataset(input), (f) => join(dir as string, f));
    const r = await extractZip(zip, join(dir, 'x'));
    expect(r.kind).toBe('extracted');
    // VOCDetection wants <root>/VOCdevkit/VOC2012; point it at the export's voc/ folder unchanged.
    await mkdir(join(dir, 'vocroot', 'VOCdevkit'), { recursive: true });
    await symlink(join(dir, 'x', 'A07', 'voc'), join(dir, 'vocroot', 'VOCdevkit', 'VOC2012'));
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCRIPT, join(dir, 'x', 'A07'), join(dir, 'vocroot')], { timeout: 100_000 });
    const got = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    const boxes = input.images.reduce((s, i) => s + i.boxes.length, 0);
    const count = (split: 'train' | 'val') => {
      const list = input.images.filter((i) => i.split === split);
      return [list.length, list.reduce((s, i) => s + i.boxes.length, 0)];
    };
    expect(got).toEqual({ voc: count('train'), coco: { train: count('train'), val: count('val') }, yolo: [3, boxes] });
  });
});
