import type { DatasetExportInput, DatasetFile, DatasetImagePlacement, DatasetSplit } from './types.js';
import { joinPath } from './paths.js';

/**
 * COCO layout under `root`: `annotations/instances_{train,val}.json` and the images in
 * `train/` and `val/` (as COCO's own `train2017/`), `file_name` = the bare file name, so a
 * reader takes (`train/`, `annotations/instances_train.json`) with no edits. Category id =
 * exam class id, `name` = class key, `name_zh`/`name_en` alongside (extra fields readers
 * ignore). `bbox` = [x, y, w, h] in pixels, `area` = w·h, `iscrowd` 0.
 */
export function exportCoco(input: DatasetExportInput, root: string): { files: DatasetFile[]; images: DatasetImagePlacement[] } {
  const classes = [...input.classes].sort((a, b) => a.id - b.id);
  const categories = classes.map((c) => ({ id: c.id, name: c.key, supercategory: 'object', name_zh: c.zh, name_en: c.en }));
  const files: DatasetFile[] = [];
  const images: DatasetImagePlacement[] = [];
  let annId = 1;
  for (const split of ['train', 'val'] as DatasetSplit[]) {
    const list = input.images.filter((i) => i.split === split);
    const cocoImages: object[] = [];
    const annotations: object[] = [];
    list.forEach((img, i) => {
      const imageId = i + 1;
      cocoImages.push({ id: imageId, file_name: img.fileName, width: img.width, height: img.height });
      images.push({ path: joinPath(root, split, img.fileName), fileName: img.fileName });
      for (const b of img.boxes) {
        const w = b.x2 - b.x1;
        const h = b.y2 - b.y1;
        annotations.push({ id: annId++, image_id: imageId, category_id: b.classId, bbox: [b.x1, b.y1, w, h], area: w * h, iscrowd: 0 });
      }
    });
    const doc = {
      info: { description: `dataset ${input.name}, task ${input.task}`, version: '1.0' },
      licenses: [],
      images: cocoImages,
      annotations,
      categories,
    };
    files.push({ path: joinPath(root, 'annotations', `instances_${split}.json`), content: JSON.stringify(doc) });
  }
  return { files, images };
}
