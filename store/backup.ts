import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, type Stats } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from './open-store.js';
import { databasePath } from './layout.js';
import { pgDump, pgRebasePaths, pgRestore, pgSchemaVersion, pgUserTables } from './pg-backup.js';

/**
 * Backup and restore of a DATA_DIR while the product runs.
 *
 * A snapshot is a folder: `data/` (the database, copied with SQLite's online backup API,
 * and every file of DATA_DIR — photos, models, runs, reports, exports, id-key, link-secret)
 * and `manifest.json` (each file's size, mode and sha256, the source DATA_DIR and the
 * schema version). Consistency without stopping anything: files are written before the
 * rows that name them (atomic rename), so the files are copied once before the database
 * snapshot and again after it (new or changed ones): every file a row of the snapshot
 * names existed when the snapshot was taken and is in the copy. Left out: the database's
 * -wal/-shm (the snapshot is whole), atomic writes' temporary files, `redis/` (queued jobs
 * are re-made from the database by the workers' recovery at start) and `emulator/` (the
 * local chat's own copies of uploads).
 *
 * With DATABASE_URL the tables live in PostgreSQL: the database is `data/copilot.pgdump`
 * (`pg_dump --format=custom`, one MVCC snapshot, taken where SQLite's backup would be) and
 * a restore needs an empty database to `pg_restore` it into (store/pg-backup.ts).
 */

export const MANIFEST_FILE = 'manifest.json';
export const SNAPSHOT_DATA = 'data';
const DB_NAME = 'copilot.db';
const PG_DUMP_NAME = 'copilot.pgdump';

/** Where a snapshot's tables came from; manifests written before PostgreSQL support have none: SQLite. */
export type SnapshotEngine = 'sqlite' | 'postgres';

export interface ManifestFile {
  /** Relative to DATA_DIR, `/`-separated. */
  path: string;
  bytes: number;
  mode: number;
  sha256: string;
}

export interface Manifest {
  version: 1;
  createdAt: string;
  /** The absolute DATA_DIR it was taken from: rows hold absolute paths, rebased on restore. */
  sourceDataDir: string;
  schemaVersion: number;
  /** Absent in older manifests: `sqlite`. Read it through `snapshotEngine`. */
  engine?: SnapshotEngine;
  files: ManifestFile[];
}

export const snapshotEngine = (m: Manifest): SnapshotEngine => m.engine ?? 'sqlite';

/** The snapshot file holding the tables: `copilot.db` (SQLite) or `copilot.pgdump` (PostgreSQL). */
const databaseFile = (engine: SnapshotEngine): string => (engine === 'postgres' ? PG_DUMP_NAME : DB_NAME);

/** Not part of a snapshot (see the module comment). */
function isSkipped(rel: string): boolean {
  const top = rel.split('/')[0];
  if (rel === DB_NAME || rel === PG_DUMP_NAME || rel === `${DB_NAME}-wal` || rel === `${DB_NAME}-shm` || rel === `${DB_NAME}-journal`) return true;
  if (top === 'redis' || top === 'emulator') return true;
  return /\.tmp-\d+-[0-9a-f]+$/.test(rel);
}

/** Every regular file under `root` (relative, `/`-separated), symlinks not followed. */
async function walk(root: string, rel = ''): Promise<Array<{ rel: string; st: Stats }>> {
  const out: Array<{ rel: string; st: Stats }> = [];
  let entries: string[];
  try {
    entries = await readdir(path.join(root, rel));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out; // removed while walking (a rebuilt hand-in)
    throw err;
  }
  for (const name of entries.sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (isSkipped(r)) continue;
    const st = await lstat(path.join(root, r)).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) out.push(...(await walk(root, r)));
    else if (st.isFile()) out.push({ rel: r, st });
  }
  return out;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Copies the files of `dataDir` not yet copied (or changed since) into `dest`; returns what it copied. */
async function copyPass(dataDir: string, dest: string, seen: Map<string, string>): Promise<number> {
  let n = 0;
  for (const { rel, st } of await walk(dataDir)) {
    const stamp = `${st.size}:${st.mtimeMs}`;
    if (seen.get(rel) === stamp) continue;
    const target = path.join(dest, rel);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    try {
      await copyFile(path.join(dataDir, rel), target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // moved or removed meanwhile; the other pass has it
      throw err;
    }
    await chmod(target, st.mode & 0o777);
    seen.set(rel, stamp);
    n++;
  }
  return n;
}

/** SQLite's online backup API: pages copied under a read transaction, restarted when a writer changes them. */
async function snapshotSqlite(dataDir: string, dest: string): Promise<number> {
  const db = new Database(databasePath(dataDir), { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
  let schemaVersion: number;
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await db.backup(path.join(dest, DB_NAME));
    schemaVersion = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM migrations').get()?.v ?? 0;
  } finally {
    db.close();
  }
  await chmod(path.join(dest, DB_NAME), 0o600);
  return schemaVersion;
}

/** pg_dump's one MVCC snapshot; the schema version is read after it (migrations only add, and run at start). */
async function snapshotPostgres(url: string, dest: string): Promise<number> {
  const file = path.join(dest, PG_DUMP_NAME);
  await pgDump(url, file);
  await chmod(file, 0o600);
  return pgSchemaVersion(url);
}

/**
 * Writes a snapshot of `dataDir` into `out` (absent or empty). Safe while bot, workers and
 * web write: the database through SQLite's backup API or, with `databaseUrl`, pg_dump;
 * files in two passes around it.
 */
export async function backupDataDir(opts: { dataDir: string; out: string; databaseUrl?: string }): Promise<Manifest> {
  const dataDir = path.resolve(opts.dataDir);
  const out = path.resolve(opts.out);
  const engine: SnapshotEngine = opts.databaseUrl ? 'postgres' : 'sqlite';
  if (engine === 'sqlite' && !existsSync(databasePath(dataDir))) throw new Error(`backup: ${databasePath(dataDir)} does not exist; is DATA_DIR right? (with PostgreSQL set DATABASE_URL)`);
  if (!existsSync(dataDir)) throw new Error(`backup: DATA_DIR ${dataDir} does not exist`);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`backup: ${out} is not empty; give a new or empty folder`);
  const inside = path.relative(dataDir, out);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) throw new Error(`backup: ${out} is inside DATA_DIR ${dataDir}; put the snapshot somewhere else (it would copy itself)`);
  const dest = path.join(out, SNAPSHOT_DATA);
  await mkdir(dest, { recursive: true, mode: 0o700 });
  const seen = new Map<string, string>();
  await copyPass(dataDir, dest, seen);
  const schemaVersion = opts.databaseUrl ? await snapshotPostgres(opts.databaseUrl, dest) : await snapshotSqlite(dataDir, dest);
  await copyPass(dataDir, dest, seen);
  const files: ManifestFile[] = [];
  for (const { rel, st } of await walk(dest)) {
    files.push({ path: rel, bytes: st.size, mode: st.mode & 0o777, sha256: await sha256File(path.join(dest, rel)) });
  }
  // walk() skips the database files by name; the snapshot's own database is listed explicitly.
  const dbName = databaseFile(engine);
  const dbFile = path.join(dest, dbName);
  const dbStat = await stat(dbFile);
  files.push({ path: dbName, bytes: dbStat.size, mode: 0o600, sha256: await sha256File(dbFile) });
  const manifest: Manifest = { version: 1, createdAt: new Date().toISOString(), sourceDataDir: dataDir, schemaVersion, engine, files };
  await writeFile(path.join(out, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return manifest;
}

/** Reads and checks a snapshot's manifest against its files; returns every problem found. */
export async function verifySnapshot(from: string): Promise<{ manifest: Manifest; problems: string[] }> {
  const dir = path.resolve(from);
  const raw = await readFile(path.join(dir, MANIFEST_FILE), 'utf8').catch(() => {
    throw new Error(`restore: ${path.join(dir, MANIFEST_FILE)} is missing; is ${dir} a snapshot made by \`npm run backup\`?`);
  });
  const manifest = JSON.parse(raw) as Manifest;
  if (manifest.version !== 1 || !Array.isArray(manifest.files)) throw new Error(`restore: ${MANIFEST_FILE} is not a version-1 manifest`);
  const problems: string[] = [];
  if (manifest.engine !== undefined && manifest.engine !== 'sqlite' && manifest.engine !== 'postgres') problems.push(`engine ${String(manifest.engine)}: neither sqlite nor postgres`);
  const dbName = databaseFile(snapshotEngine(manifest));
  if (!manifest.files.some((f) => f.path === dbName)) problems.push(`${dbName}: not in the manifest`);
  for (const f of manifest.files) {
    if (f.path.split('/').some((p) => p === '..' || p === '') || path.isAbsolute(f.path)) {
      problems.push(`${f.path}: not a path inside the snapshot`);
      continue;
    }
    const file = path.join(dir, SNAPSHOT_DATA, f.path);
    const st = await stat(file).catch(() => undefined);
    if (!st) problems.push(`${f.path}: missing`);
    else if (st.size !== f.bytes) problems.push(`${f.path}: ${st.size} bytes, the manifest says ${f.bytes}`);
    else if ((await sha256File(file)) !== f.sha256) problems.push(`${f.path}: sha256 differs from the manifest`);
  }
  return { manifest, problems };
}

/** A PostgreSQL snapshot goes only into an empty database (a merge would collide on ids). */
async function checkRestoreDatabase(manifest: Manifest, databaseUrl: string | undefined): Promise<string | undefined> {
  if (snapshotEngine(manifest) !== 'postgres') return undefined;
  if (!databaseUrl) throw new Error('restore: this snapshot holds a PostgreSQL database; give the empty database to restore it into with --database-url URL (or DATABASE_URL)');
  const tables = await pgUserTables(databaseUrl);
  if (tables.length > 0) throw new Error(`restore: the target database is not empty (${tables.length} tables, e.g. ${tables.slice(0, 3).join(', ')}); restore only into a new, empty database (createdb NAME)`);
  return databaseUrl;
}

/**
 * Restores a snapshot into `dataDir`, which must be absent or empty, and, for a PostgreSQL
 * snapshot, into the empty database at `databaseUrl`. The manifest is checked first (every
 * file present, same size and sha256) and nothing is written when it fails. Absolute paths
 * in the database (photo files, run folders) are rebased from the snapshot's DATA_DIR onto
 * this one. A failure half-way removes the files it wrote (pg_restore runs in one transaction).
 */
export async function restoreDataDir(opts: { from: string; dataDir: string; databaseUrl?: string }): Promise<Manifest> {
  const target = path.resolve(opts.dataDir);
  const from = path.resolve(opts.from);
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`restore: ${target} is not empty; restore only into a new or empty DATA_DIR`);
  const { manifest, problems } = await verifySnapshot(from);
  if (problems.length) throw new Error(`restore: the snapshot does not match its manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const pgUrl = await checkRestoreDatabase(manifest, opts.databaseUrl);
  const existed = existsSync(target);
  try {
    await mkdir(target, { recursive: true, mode: 0o700 });
    await chmod(target, 0o700);
    for (const f of manifest.files) {
      if (f.path === PG_DUMP_NAME && pgUrl) continue; // goes into the database, not DATA_DIR
      const dst = path.join(target, f.path);
      await mkdir(path.dirname(dst), { recursive: true, mode: 0o700 });
      await copyFile(path.join(from, SNAPSHOT_DATA, f.path), dst);
      await chmod(dst, f.mode);
    }
    if (pgUrl) {
      await pgRestore(pgUrl, path.join(from, SNAPSHOT_DATA, PG_DUMP_NAME));
      await pgRebasePaths(pgUrl, manifest.sourceDataDir, target);
    } else {
      rebasePaths(databasePath(target), manifest.sourceDataDir, target);
    }
  } catch (err) {
    if (existed) for (const name of readdirSync(target)) await rm(path.join(target, name), { recursive: true, force: true });
    else await rm(target, { recursive: true, force: true });
    throw err;
  }
  return manifest;
}

/** Rewrites `from/…` to `to/…` in every text column of every table (rows keep absolute paths). */
export function rebasePaths(dbFile: string, from: string, to: string): number {
  if (path.resolve(from) === path.resolve(to)) return 0;
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    const old = path.resolve(from) + path.sep;
    const neu = path.resolve(to) + path.sep;
    let changed = 0;
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    db.transaction(() => {
      for (const { name } of tables) {
        const cols = db.prepare<[], { name: string; type: string }>(`PRAGMA table_info("${name}")`).all();
        for (const c of cols.filter((col) => col.type === '' || /TEXT|CHAR|CLOB|JSON|ANY/i.test(col.type))) {
          changed += db.prepare(`UPDATE "${name}" SET "${c.name}" = replace("${c.name}", ?, ?) WHERE typeof("${c.name}") = 'text' AND instr("${c.name}", ?) > 0`).run(old, neu, old).changes;
        }
      }
    })();
    return changed;
  } finally {
    db.close();
  }
}
