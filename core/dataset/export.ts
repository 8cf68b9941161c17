import { InvariantError } from '../errors.js';
import { exportCoco } from './export-coco.js';
import { exportVoc } from './export-voc.js';
import { exportYolo } from './export-yolo.js';
import { stemOf } from './paths.js';
import { DATASET_FORMATS, type DatasetExport, type DatasetExportInput, type DatasetFormat } from './types.js';

const SAFE_NAME = /^[^/\\:*?"<>|\0]+$/;

/**
 * Writes the dataset in the chosen formats (default all three) under one root folder
 * named after the dataset (the station number): `<name>/yolo/…`, `<name>/coco/…`,
 * `<name>/voc/…`. Each format folder is self-contained (its own copy of the images) so
 * it opens in that format's tools without edits. Pure: returns the text files and where
 * the caller must put each image's bytes.
 *
 * Throws `InvariantError` on input our own store should never produce (unsafe names,
 * duplicate stems, unknown class ids, boxes outside the image).
 */
export function exportDataset(input: DatasetExportInput, formats: readonly DatasetFormat[] = DATASET_FORMATS): DatasetExport {
  assertExportable(input);
  const out: DatasetExport = { files: [], images: [] };
  for (const format of formats) {
    const root = `${input.name}/${format}`;
    const part = format === 'yolo' ? exportYolo(input, root) : format === 'coco' ? exportCoco(input, root) : exportVoc(input, root);
    out.files.push(...part.files);
    out.images.push(...part.images);
  }
  return out;
}

function assertExportable(input: DatasetExportInput): void {
  if (!SAFE_NAME.test(input.name) || input.name === '.' || input.name === '..') throw new InvariantError(`dataset name ${JSON.stringify(input.name)} is not a safe folder name`);
  const ids = new Set(input.classes.map((c) => c.id));
  const stems = new Set<string>();
  for (const img of input.images) {
    if (!SAFE_NAME.test(img.fileName) || img.fileName.startsWith('.')) throw new InvariantError(`image file name ${JSON.stringify(img.fileName)} is not a safe base name`);
    const stem = stemOf(img.fileName);
    if (stems.has(stem)) throw new InvariantError(`two images share the stem ${stem}: label files would collide; give photos unique names`);
    stems.add(stem);
    if (!(img.width > 0 && img.height > 0)) throw new InvariantError(`image ${img.fileName} has no size`);
    for (const b of img.boxes) {
      if (!ids.has(b.classId)) throw new InvariantError(`image ${img.fileName}: box class ${b.classId} is not an exam class`);
      if (!(b.x1 >= 0 && b.y1 >= 0 && b.x2 <= img.width && b.y2 <= img.height && b.x1 < b.x2 && b.y1 < b.y2)) {
        throw new InvariantError(`image ${img.fileName}: box ${JSON.stringify(b)} is degenerate or outside ${img.width}×${img.height}`);
      }
    }
  }
}
