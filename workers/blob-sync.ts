import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { blobKey, blobPath, runModelPath, writeFileAtomic, type BlobStore } from '../store/index.js';
import type { WorkerDeps } from './processors.js';

/**
 * Write-through to the shared object store (S3) when one is configured: the local file under
 * DATA_DIR stays the working copy; the bucket holds the same bytes under the DATA_DIR-relative
 * key, so a host without this DATA_DIR (a GPU train worker, another web replica) can fetch it.
 * Folders are uploaded file by file. A no-op without S3. Returns the keys written.
 *
 * A failed upload is logged with its keys and does not fail the job that made the file (the
 * local copy is whole; the photo, run or report is done): a host that later misses the
 * object says which one (see {@link fetchToLocal}).
 */
export async function writeThrough(deps: Pick<WorkerDeps, 'blobs' | 'log' | 'config'>, files: readonly string[], what: string): Promise<string[]> {
  const blobs = deps.blobs;
  if (!blobs) return [];
  const dataDir = deps.config.DATA_DIR;
  const keys: string[] = [];
  const expand = (file: string): string[] => {
    if (!existsSync(file)) return [];
    if (!statSync(file).isDirectory()) return [file];
    return readdirSync(file).flatMap((name) => expand(join(file, name)));
  };
  for (const file of files.flatMap(expand)) {
    // Temporary files of atomic writes never travel.
    if (/\.(tmp|part)-\d+-/.test(file)) continue;
    let key = file;
    try {
      key = blobKey(dataDir, file);
      await blobs.putFile(key, file);
      keys.push(key);
    } catch (err) {
      deps.log.error({ key, what, where: blobs.where, err }, 'object store: upload failed; the local copy is kept, other hosts will miss this file');
    }
  }
  if (keys.length > 0) deps.log.debug({ what, keys: keys.length, where: blobs.where }, 'object store: written through');
  return keys;
}

/**
 * The DATA_DIR-relative key of a path another host stored in the database (photos.image_path,
 * runs.dir hold that host's absolute paths): the part from `stations/<station>/` on.
 * Undefined when the path does not lie in a station folder.
 */
export function stationKeyOf(stationNo: string, storedPath: string): string | undefined {
  const posix = storedPath.split('\\').join('/');
  const anchor = `/stations/${stationNo}/`;
  const at = posix.lastIndexOf(anchor);
  if (at < 0) return posix.startsWith(anchor.slice(1)) ? posix : undefined;
  return posix.slice(at + 1);
}

/** Outcome of {@link fetchToLocal}: the local path of every input, and the keys found nowhere. */
export interface FetchResult {
  paths: string[];
  fetched: number;
  missing: string[];
}

/**
 * Makes each stored path of a station available on this host: with an object store, the path's
 * key (`stations/<station>/…`) is resolved under this host's DATA_DIR and fetched from the store
 * when that file is missing. Without S3, paths are returned unchanged.
 */
export async function fetchToLocal(deps: Pick<WorkerDeps, 'blobs' | 'log' | 'config'>, stationNo: string, stored: readonly string[]): Promise<FetchResult> {
  const blobs: BlobStore | undefined = deps.blobs;
  const out: FetchResult = { paths: [], fetched: 0, missing: [] };
  for (const p of stored) {
    const key = blobs ? stationKeyOf(stationNo, p) : undefined;
    if (!blobs || key === undefined) {
      out.paths.push(p);
      if (blobs && !existsSync(p)) out.missing.push(p);
      continue;
    }
    // This host's own copy, under its DATA_DIR (the same file when the hosts share DATA_DIR).
    const local = blobPath(deps.config.DATA_DIR, key);
    out.paths.push(local);
    if (existsSync(local)) continue;
    if (await blobs.getToFile(key, local)) out.fetched++;
    else out.missing.push(key);
  }
  if (out.fetched > 0) deps.log.info({ station: stationNo, fetched: out.fetched, where: blobs?.where }, 'object store: fetched files this host did not have');
  return out;
}

/**
 * With an object store: fetches the ONNX models of a station's finished runs that this host
 * lacks (trained on another host), so pre-labels and predictions use them. A no-op without S3.
 */
export async function fetchStationModels(deps: Pick<WorkerDeps, 'blobs' | 'log' | 'config' | 'store'>, stationNo: string): Promise<void> {
  if (!deps.blobs) return;
  const now = Date.now();
  const wanted = deps.store.runs
    .list(stationNo)
    .filter((r) => r.status === 'completed' || r.status === 'stopped')
    .map((r) => runModelPath(deps.store.dataDir, stationNo, r.id))
    .filter((p) => !existsSync(p) && (modelsNowhere.get(p) ?? 0) <= now);
  if (wanted.length === 0) return;
  const got = await fetchToLocal(deps, stationNo, wanted).catch((err: unknown) => {
    deps.log.warn({ station: stationNo, err }, 'object store: could not fetch station models');
    return undefined;
  });
  // A model in no bucket either is asked for again after a minute, not on every photo.
  got?.paths.forEach((p) => {
    if (!existsSync(p)) modelsNowhere.set(p, now + 60_000);
  });
}

const modelsNowhere = new Map<string, number>();

/**
 * With an object store: brings a run trained on another host to this one — the run folder's
 * files and the model this host lacks — and points this host's copy of the manifest at this
 * host's photos (fetched when missing), so the stage-two report reads curves, metrics and val
 * photos as if the run had trained here. A no-op without S3.
 */
export async function fetchRunOutputs(deps: Pick<WorkerDeps, 'blobs' | 'log' | 'config'>, run: { stationNo: string; id: string }): Promise<void> {
  if (!deps.blobs) return;
  const dataDir = deps.config.DATA_DIR;
  const keys = await deps.blobs.list(`stations/${run.stationNo}/runs/${run.id}/`);
  const got = await fetchToLocal(deps, run.stationNo, [...keys.map((k) => blobPath(dataDir, k)), runModelPath(dataDir, run.stationNo, run.id)]);
  if (got.missing.length > 0) deps.log.warn({ run: run.id, missing: got.missing }, 'object store: part of the run is nowhere');
  const manifestPath = blobPath(dataDir, `stations/${run.stationNo}/runs/${run.id}/manifest.json`);
  if (!existsSync(manifestPath)) return;
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { images?: Array<{ path: string }> };
  const images = manifest.images ?? [];
  if (images.every((i) => existsSync(i.path))) return;
  const local = await fetchToLocal(deps, run.stationNo, images.map((i) => i.path));
  await writeFileAtomic(manifestPath, JSON.stringify({ ...manifest, images: images.map((img, i) => ({ ...img, path: local.paths[i] ?? img.path })) }));
}
