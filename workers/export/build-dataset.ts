import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile, copyFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { exportDataset, splitDataset, type DatasetExport, type DatasetImage, type ExamConfig } from '../../core/index.js';
import { stationPaths, type SplitName, type Store } from '../../store/index.js';
import { writeDatasetZip } from './dataset-zip.js';

/** Seed of the dataset's train/val split when none is recorded yet (the trainer's default seed). */
export const DATASET_SPLIT_SEED = 0;
/** Share of each combo that goes to val when the split is first recorded. */
export const DATASET_VAL_RATE = 0.2;

export interface BuiltDataset {
  /** `DATA_DIR/stations/<station>/exports/<station>.zip` */
  zip: string;
  /** The unzipped copy: `DATA_DIR/stations/<station>/exports/<station>/` (yolo/, coco/, voc/). */
  folder: string;
  photos: number;
  boxes: number;
  train: number;
  val: number;
  skipped: number;
}

/**
 * The station's dataset as the exam asks for it: its confirmed photos with their confirmed
 * boxes, named after the station, task from the exam config, split train/val as recorded
 * (photos without a recorded split get the seeded, combo-stratified split of core/split,
 * which is then recorded so every later export and the hand-in agree).
 */
export function datasetInput(store: Store, stationNo: string): { images: DatasetImage[]; files: Map<string, string> } {
  const confirmed = store.labels.listConfirmed(stationNo).filter((c) => c.photo.imagePath && c.photo.width && c.photo.height);
  const recorded = store.dataset.splitOf(stationNo);
  const missing = confirmed.filter((c) => !recorded.has(c.photo.id));
  if (missing.length > 0) {
    const fresh = splitDataset(confirmed.map((c) => ({ id: c.photo.id, combo: c.photo.combo })), DATASET_VAL_RATE, DATASET_SPLIT_SEED);
    const add = new Map<number, SplitName>(missing.map((c) => [c.photo.id, fresh.get(c.photo.id) ?? 'train']));
    store.dataset.recordSplit(stationNo, add);
    for (const [id, s] of add) recorded.set(id, s);
  }
  const files = new Map<string, string>();
  const images = confirmed.map((c): DatasetImage => {
    const path = c.photo.imagePath ?? '';
    const fileName = `${c.photo.id}${extname(path).toLowerCase() || '.jpg'}`;
    files.set(fileName, path);
    return {
      fileName,
      width: c.photo.width ?? 0,
      height: c.photo.height ?? 0,
      split: recorded.get(c.photo.id) ?? 'train',
      boxes: c.boxes.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })),
    };
  });
  return { images, files };
}

/** Writes the export's files and images under `dir` (its root folder is the station number). */
async function writeUnzipped(dir: string, exp: DatasetExport, imageFile: (fileName: string) => string): Promise<void> {
  for (const f of exp.files) {
    const target = join(dir, ...f.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
  for (const i of exp.images) {
    const target = join(dir, ...i.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(imageFile(i.fileName), target);
  }
}

/**
 * Builds `exports/<station>.zip` and the unzipped `exports/<station>/` (both replaced
 * whole: a failure leaves the previous export in place). `undefined` when the station
 * has no confirmed photo.
 */
export async function buildDataset(store: Store, exam: ExamConfig, stationNo: string): Promise<BuiltDataset | undefined> {
  const { images, files } = datasetInput(store, stationNo);
  if (images.length === 0) return undefined;
  const exp = exportDataset({ name: stationNo, task: exam.taskName, classes: exam.classes, images });
  const imageFile = (fileName: string) => {
    const p = files.get(fileName);
    if (!p) throw new Error(`export: no image file for ${fileName}`);
    return p;
  };
  const { exports } = stationPaths(store.dataDir, stationNo);
  await mkdir(exports, { recursive: true });
  const zip = join(exports, `${stationNo}.zip`);
  await writeDatasetZip(zip, exp, imageFile);
  const folder = join(exports, stationNo);
  const staging = join(exports, `.staging-${randomBytes(6).toString('hex')}`);
  try {
    await writeUnzipped(staging, exp, imageFile);
    const old = `${staging}-old`;
    await rename(folder, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(join(staging, stationNo), folder);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const val = images.filter((i) => i.split === 'val').length;
  return {
    zip,
    folder,
    photos: images.length,
    boxes: images.reduce((s, i) => s + i.boxes.length, 0) - exp.skipped.length,
    train: images.length - val,
    val,
    skipped: exp.skipped.length,
  };
}
