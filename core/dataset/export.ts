import { InvariantError } from '../errors.js';
import { exportCoco } from './export-coco.js';
import { exportVoc } from './export-voc.js';
import { exportYolo } from './export-yolo.js';
import { stemOf } from './paths.js';
import { DATASET_FORMATS, type DatasetBox, type DatasetExport, type DatasetExportInput, type DatasetFormat, type DatasetImage } from './types.js';

/** Narrower than this (pixels) a box has no area any format can keep (VOC's smallest is one pixel). */
const MIN_SIDE_PX = 0.5;

const SAFE_NAME = /^[^/\\:*?"<>|\0]+$/;

/**
 * Writes the dataset in the chosen formats (default all three) under one root folder
 * named after the dataset (the station number): `<name>/yolo/…`, `<name>/coco/…`,
 * `<name>/voc/…`. Each format folder is self-contained (its own copy of the images) so
 * it opens in that format's tools without edits. Pure: returns the text files and where
 * the caller must put each image's bytes.
 *
 * Throws `InvariantError` on input our own store should never produce (unsafe names,
 * duplicate stems, unknown class ids, non-numeric boxes). Boxes are clamped to the image;
 * those with no area are left out and listed in `skipped` for the caller to tell the user.
 */
export function exportDataset(raw: DatasetExportInput, formats: readonly DatasetFormat[] = DATASET_FORMATS): DatasetExport {
  assertExportable(raw);
  const skipped: DatasetExport['skipped'] = [];
  const input = { ...raw, images: raw.images.map((img) => ({ ...img, boxes: clampBoxes(img, skipped) })) };
  const out: DatasetExport = { files: [], images: [], skipped };
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
      if (![b.x1, b.y1, b.x2, b.y2].every(Number.isFinite)) throw new InvariantError(`image ${img.fileName}: box ${JSON.stringify(b)} is not numeric`);
    }
  }
}

/**
 * Boxes as the formats can hold them: clamped to the image (the editor may leave float
 * noise past an edge); a box with no area inside the image is left out and listed, since
 * the store keeps such boxes (they are neither tagged nor counted) and no format allows them.
 */
function clampBoxes(img: DatasetImage, skipped: DatasetExport['skipped']): DatasetBox[] {
  return img.boxes.flatMap((b) => {
    const c = { ...b, x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(img.width, b.x2), y2: Math.min(img.height, b.y2) };
    if (c.x2 - c.x1 < MIN_SIDE_PX || c.y2 - c.y1 < MIN_SIDE_PX) {
      skipped.push({ fileName: img.fileName, box: b, why: 'no-area' });
      return [];
    }
    return [c];
  });
}
