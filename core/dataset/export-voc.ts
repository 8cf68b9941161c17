import type { DatasetBox, DatasetExportInput, DatasetFile, DatasetImagePlacement } from './types.js';
import { joinPath, stemOf } from './paths.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A box in VOC's convention: 1-based, inclusive integer pixel indices. A pixel-edge box
 * [x1, x2) covers 0-based pixels x1 … x2−1, i.e. 1-based x1+1 … x2; each edge is rounded
 * to the nearest pixel edge first (error ≤ 0.5 px), clamped to the image, and a box
 * that rounds to nothing keeps one pixel. The inverse is `x1 = xmin − 1, x2 = xmax`.
 */
export function toVocBox(b: DatasetBox, width: number, height: number): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
  const ex1 = clamp(b.x1, width);
  const ey1 = clamp(b.y1, height);
  const ex2 = Math.max(clamp(b.x2, width), Math.min(ex1 + 1, width));
  const ey2 = Math.max(clamp(b.y2, height), Math.min(ey1 + 1, height));
  return { xmin: Math.min(ex1 + 1, ex2), ymin: Math.min(ey1 + 1, ey2), xmax: ex2, ymax: ey2 };
}

/**
 * Pascal VOC layout under `root`: `JPEGImages/<file>`, `Annotations/<stem>.xml`,
 * `ImageSets/Main/{train,val}.txt` (one stem a line), as VOC2012 and torchvision's
 * `VOCDetection` expect. `<name>` is the class key.
 */
export function exportVoc(input: DatasetExportInput, root: string): { files: DatasetFile[]; images: DatasetImagePlacement[] } {
  const byId = new Map(input.classes.map((c) => [c.id, c]));
  const files: DatasetFile[] = [];
  const images: DatasetImagePlacement[] = [];
  const sets: Record<'train' | 'val', string[]> = { train: [], val: [] };
  for (const img of input.images) {
    const stem = stemOf(img.fileName);
    sets[img.split].push(stem);
    images.push({ path: joinPath(root, 'JPEGImages', img.fileName), fileName: img.fileName });
    const objects = img.boxes.map((b) => {
      const v = toVocBox(b, img.width, img.height);
      const name = byId.get(b.classId)?.key ?? String(b.classId);
      return [
        '  <object>',
        `    <name>${esc(name)}</name>`,
        '    <pose>Unspecified</pose>',
        '    <truncated>0</truncated>',
        '    <difficult>0</difficult>',
        '    <bndbox>',
        `      <xmin>${v.xmin}</xmin>`,
        `      <ymin>${v.ymin}</ymin>`,
        `      <xmax>${v.xmax}</xmax>`,
        `      <ymax>${v.ymax}</ymax>`,
        '    </bndbox>',
        '  </object>',
      ].join('\n');
    });
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<annotation>',
      '  <folder>JPEGImages</folder>',
      `  <filename>${esc(img.fileName)}</filename>`,
      `  <source><database>${esc(input.name)}</database><annotation>${esc(input.task)}</annotation></source>`,
      `  <size><width>${img.width}</width><height>${img.height}</height><depth>3</depth></size>`,
      '  <segmented>0</segmented>',
      ...objects,
      '</annotation>',
      '',
    ].join('\n');
    files.push({ path: joinPath(root, 'Annotations', `${stem}.xml`), content: xml });
  }
  for (const split of ['train', 'val'] as const) {
    const list = sets[split];
    files.push({ path: joinPath(root, 'ImageSets', 'Main', `${split}.txt`), content: list.length ? `${list.join('\n')}\n` : '' });
  }
  return { files, images };
}
