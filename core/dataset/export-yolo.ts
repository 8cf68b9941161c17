import { stringify } from 'yaml';
import type { DatasetExportInput, DatasetFile, DatasetImagePlacement } from './types.js';
import { joinPath, stemOf } from './paths.js';

/**
 * YOLO (Ultralytics) layout under `root`: `data.yaml`, `images/{train,val}/<file>`,
 * `labels/{train,val}/<stem>.txt`. `data.yaml` has no `path:` key so Ultralytics resolves
 * `train`/`val` against the yaml's own folder (a relative `path:` would be taken under its
 * global datasets dir). The class index is the exam class id (ids are 0..N-1).
 * Each label line: `class cx cy w h`, normalised to 0..1, 6 decimals.
 */
export function exportYolo(input: DatasetExportInput, root: string): { files: DatasetFile[]; images: DatasetImagePlacement[] } {
  const classes = [...input.classes].sort((a, b) => a.id - b.id);
  const yaml = stringify({
    train: 'images/train',
    val: 'images/val',
    nc: classes.length,
    names: Object.fromEntries(classes.map((c) => [c.id, c.key])),
    names_zh: Object.fromEntries(classes.map((c) => [c.id, c.zh])),
    names_en: Object.fromEntries(classes.map((c) => [c.id, c.en])),
  });
  const header = `# dataset ${input.name}, task ${input.task}; names = exam class keys (names_zh/names_en alongside)\n`;
  const files: DatasetFile[] = [{ path: joinPath(root, 'data.yaml'), content: header + yaml }];
  const images: DatasetImagePlacement[] = [];
  for (const img of input.images) {
    images.push({ path: joinPath(root, 'images', img.split, img.fileName), fileName: img.fileName });
    const lines = img.boxes.map((b) => {
      const cx = (b.x1 + b.x2) / 2 / img.width;
      const cy = (b.y1 + b.y2) / 2 / img.height;
      const w = (b.x2 - b.x1) / img.width;
      const h = (b.y2 - b.y1) / img.height;
      return `${b.classId} ${cx.toFixed(6)} ${cy.toFixed(6)} ${w.toFixed(6)} ${h.toFixed(6)}`;
    });
    files.push({ path: joinPath(root, 'labels', img.split, `${stemOf(img.fileName)}.txt`), content: lines.length ? `${lines.join('\n')}\n` : '' });
  }
  return { files, images };
}
