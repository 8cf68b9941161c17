import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExamConfig } from '../../core/index.js';
import { stationPaths, type Run, type Store } from '../../store/index.js';
import { buildDataset, type BuiltDataset } from './build-dataset.js';
import { writeZip, type ZipWriteEntry } from './zip-write.js';

export interface Handin {
  /** `<name><ID number>`: holds the full ID; never log or send it. */
  folderName: string;
  /** `DATA_DIR/stations/<station>/handin/<folder>/` */
  folder: string;
  /** `DATA_DIR/stations/<station>/handin/<station>-handin.zip` (the file name carries no ID). */
  zip: string;
  images: number;
  dataset: BuiltDataset | undefined;
  report1: boolean;
  model: string | undefined;
  report2: boolean;
}

/** The model handed in: the deployed run's, else the completed train run with the best mAP@0.5. */
export function handinRun(store: Store, stationNo: string): Run | undefined {
  const root = stationPaths(store.dataDir, stationNo).root;
  const has = (r: Run) => existsSync(join(root, 'models', `${r.id}.onnx`));
  const deployed = store.runs.deployed(stationNo);
  if (deployed && has(deployed)) return deployed;
  const score = (r: Run) => (typeof r.metrics?.map50 === 'number' ? r.metrics.map50 : typeof r.metrics?.deployedMap50 === 'number' ? r.metrics.deployedMap50 : -1);
  return store.runs
    .list(stationNo)
    .filter((r) => r.kind === 'train' && r.status === 'completed' && has(r))
    .sort((a, b) => score(b) - score(a) || b.seq - a.seq)[0];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Assembles the hand-in folder (layout in the README, "Hand-in folder"):
 * `<name><ID>/images/` the processed photos of the dataset, `dataset/<station>/` the
 * export in three formats, `reports/stage1.pdf` and `reports/stage2.pdf` when they exist,
 * `model/<run>.onnx` once a model exists. The folder is rebuilt whole each time (staged,
 * then swapped in) and zipped as `<station>-handin.zip`.
 */
export async function buildHandin(store: Store, exam: ExamConfig, stationNo: string): Promise<Handin | undefined> {
  const folderName = store.stations.handinFolderName(stationNo);
  if (!folderName) return undefined;
  const paths = stationPaths(store.dataDir, stationNo);
  await mkdir(paths.handin, { recursive: true });
  const dataset = await buildDataset(store, exam, stationNo);
  const staging = join(paths.handin, `.staging-${randomBytes(6).toString('hex')}`);
  const out = join(staging, folderName);
  let images = 0;
  let model: string | undefined;
  try {
    await mkdir(join(out, 'images'), { recursive: true });
    for (const c of store.labels.listConfirmed(stationNo)) {
      if (!c.photo.imagePath || !existsSync(c.photo.imagePath)) continue;
      await cp(c.photo.imagePath, join(out, 'images', basename(c.photo.imagePath)));
      images++;
    }
    if (dataset) await cp(dataset.folder, join(out, 'dataset', stationNo), { recursive: true });
    const report = (name: string) => join(paths.reports, name);
    if (existsSync(report('stage1.pdf'))) await cp(report('stage1.pdf'), join(out, 'reports', 'stage1.pdf'));
    if (existsSync(report('stage2.pdf'))) await cp(report('stage2.pdf'), join(out, 'reports', 'stage2.pdf'));
    const run = handinRun(store, stationNo);
    if (run) {
      await cp(join(paths.root, 'models', `${run.id}.onnx`), join(out, 'model', `${run.id}.onnx`));
      model = run.id;
    }
    const folder = join(paths.handin, folderName);
    const old = `${staging}-old`;
    await rename(folder, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(out, folder);
    await rm(old, { recursive: true, force: true });
    const entries: ZipWriteEntry[] = (await filesUnder(folder)).map((f) => ({
      path: [folderName, ...relative(folder, f).split(sep)].join('/'),
      filePath: f,
    }));
    const zip = join(paths.handin, `${stationNo}-handin.zip`);
    await writeZip(zip, entries);
    return {
      folderName,
      folder,
      zip,
      images,
      dataset,
      report1: existsSync(report('stage1.pdf')),
      model,
      report2: existsSync(report('stage2.pdf')),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
