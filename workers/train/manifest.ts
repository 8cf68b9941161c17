import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitDataset, type ExamConfig } from '../../core/index.js';
import { writeFileAtomic, type Run, type Store } from '../../store/index.js';

export interface ManifestImage {
  photoId: number;
  path: string;
  width: number;
  height: number;
  split: 'train' | 'val';
  boxes: Array<{ classId: number; x1: number; y1: number; x2: number; y2: number }>;
}

/**
 * The trainer's input: every confirmed photo of the station with its confirmed boxes
 * (the labels, not the proposals), split train/val deterministically by the run's
 * seed and valSplit. Written to `<run dir>/manifest.json`.
 *
 * An assist run starts after as few as 3 confirmed photos per class, where every combo can
 * still have fewer than 3 photos and the split puts none in val. Its adoption must be judged
 * on photos it did not train on, so an assist run with no val photo holds out the newest
 * confirmed one (never the only one).
 */
export async function writeManifest(store: Store, exam: ExamConfig, run: Run, params: { valSplit: number; seed: number }): Promise<{ path: string; images: ManifestImage[] }> {
  const confirmed = store.labels.listConfirmed(run.stationNo).filter((c) => c.photo.imagePath && c.boxes.length > 0);
  const split = splitDataset(confirmed.map((c) => ({ id: c.photo.id, combo: c.photo.combo })), params.valSplit, params.seed);
  const images: ManifestImage[] = confirmed.map((c) => ({
    photoId: c.photo.id,
    path: c.photo.imagePath ?? '',
    width: c.photo.width ?? 0,
    height: c.photo.height ?? 0,
    split: split.get(c.photo.id) ?? 'train',
    boxes: c.boxes.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })),
  }));
  if (run.kind === 'assist' && images.length >= 2 && !images.some((i) => i.split === 'val')) {
    const newest = images.reduce((a, b) => (b.photoId > a.photoId ? b : a));
    newest.split = 'val';
  }
  const manifest = { classes: exam.classes.map((c) => ({ id: c.id, key: c.key })), images };
  const path = join(run.dir, 'manifest.json');
  await writeFileAtomic(path, JSON.stringify(manifest));
  return { path, images };
}

/** The same manifest with each image's path replaced (this host's copies of the photos), written over the old file. */
export async function rewriteManifest(manifest: { path: string; images: ManifestImage[] }, paths: readonly string[]): Promise<{ path: string; images: ManifestImage[] }> {
  const body = JSON.parse(await readFile(manifest.path, 'utf8')) as { classes: unknown; images: ManifestImage[] };
  const images = manifest.images.map((img, i) => ({ ...img, path: paths[i] ?? img.path }));
  await writeFileAtomic(manifest.path, JSON.stringify({ classes: body.classes, images }));
  return { path: manifest.path, images };
}
