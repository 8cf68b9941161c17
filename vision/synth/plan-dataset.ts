/**
 * `generatePlanDataset`: exactly the capture plan's photos, one folder per combo, so one
 * call fills the whole plan (the default exam: 10 per single class, 20 per pair, 10 for
 * the triple: 100 photos) and each folder can be sent while that combo is active.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { allCombos } from './combos.js';
import { generateDataset, writeAtomic, type DatasetOptions } from './dataset.js';

/** Photos per combo size, as `quotas` in config/exam.yaml (the default exam's 10/20/10). */
export const DEFAULT_QUOTAS: Readonly<Record<number, number>> = { 1: 10, 2: 20, 3: 10 };

/** One combo folder of a plan dataset. */
export interface PlanFolder {
  /** Folder name: plan position and the class keys, e.g. `04-gauge_normal+gauge_abnormal`. */
  folder: string;
  combo: string[];
  quota: number;
}

/** The plan's combos in plan order (singles, pairs, triple) with their folder names and quotas. */
export function planFolders(classes: DatasetOptions['classes'], quotas: Readonly<Record<number, number>> = DEFAULT_QUOTAS): PlanFolder[] {
  return allCombos(classes)
    .map((combo) => ({ combo, quota: quotas[combo.length] ?? 0 }))
    .filter((c) => c.quota > 0)
    .map((c, i) => ({ folder: `${String(i + 1).padStart(2, '0')}-${c.combo.join('+')}`, ...c }));
}

/**
 * Writes `<out>/<folder>/` per combo (each a small YOLO dataset: images/, labels/,
 * classes.txt, manifest.json) and `<out>/plan.json`. Folder `i` uses seed `seed + i`,
 * so image names differ across folders.
 */
export async function generatePlanDataset(
  opts: Omit<DatasetOptions, 'count' | 'combo'> & { quotas?: Readonly<Record<number, number>> },
): Promise<{ images: number; boxes: number; folders: PlanFolder[] }> {
  const folders = planFolders(opts.classes, opts.quotas);
  const out = path.resolve(opts.out);
  await mkdir(out, { recursive: true });
  let images = 0;
  let boxes = 0;
  for (const [i, f] of folders.entries()) {
    const r = await generateDataset({ ...opts, out: path.join(out, f.folder), count: f.quota, seed: opts.seed + i, combo: f.combo });
    images += r.images;
    boxes += r.boxes;
  }
  await writeAtomic(path.join(out, 'plan.json'), `${JSON.stringify({ folders, total: images }, null, 2)}\n`);
  return { images, boxes, folders };
}
