import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { planText } from '../bot/flows/plan.js';
import type { BotContext } from '../bot/context.js';
import type { BotDeps } from '../bot/deps.js';
import { t } from '../core/index.js';
import { openStore, runModelPath, stationFile, stationPaths, type Store } from '../store/index.js';
import { tempDataDir, testEnv } from '../test/harness.js';
import { createTestDatabase, pgTarget } from '../test/postgres.js';
import { seedConfirmedStation } from '../test/seed.js';
import { seedStation } from '../test/seed-photo.js';

/** `npm run backup` / `npm run restore` as real processes, on a station that keeps writing meanwhile. */

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const ctxEn = { lang: 'en', tr: (k: Parameters<typeof t>[1], p?: Parameters<typeof t>[2]) => t('en', k, p) } as unknown as BotContext;

/** What a station looks like to its contestant and the judges, with paths made relative to DATA_DIR. */
function view(store: Store, exam: BotDeps['exam'], station: string) {
  const rel = (p: string | null) => (p === null ? null : relative(store.dataDir, p));
  return {
    plan: planText(ctxEn, { store, exam } as BotDeps, station),
    photos: store.photos.list(station).map((p) => ({ id: p.id, status: p.status, combo: p.combo, imagePath: rel(p.imagePath), sha256: p.sha256 })),
    labels: store.labels.listConfirmed(station).map((c) => ({ id: c.photo.id, boxes: c.boxes })),
    runs: store.runs.list(station).map((r) => JSON.parse(JSON.stringify(r).replaceAll(`${store.dataDir}/`, '<DATA_DIR>/')) as unknown),
    deployed: store.runs.deployed(station)?.id,
    contestant: store.stations.get(station)?.contestantName,
  };
}

type Env = ReturnType<typeof testEnv>;

/** K01: 12 confirmed photos, a completed and deployed run (model, run folder) and both reports; returns its view. */
async function seedDeployedStation(env: Env) {
  await seedConfirmedStation(env, 'K01', 5001, 12, '11010519900307123');
  const { store, dataDir, exam } = env;
  const run = store.runs.create({ stationNo: 'K01', kind: 'train', params: { epochs: 3 }, chatId: 5001 });
  if (run.kind !== 'created') throw new Error('run not created');
  mkdirSync(run.run.dir, { recursive: true });
  writeFileSync(join(run.run.dir, 'metrics.json'), JSON.stringify({ map50: 0.91 }));
  mkdirSync(join(stationPaths(dataDir, 'K01').root, 'models'), { recursive: true });
  writeFileSync(runModelPath(dataDir, 'K01', run.run.id), Buffer.alloc(300_000, 7));
  store.runs.update(run.run.id, { status: 'completed', metrics: { map50: 0.91, modelPath: runModelPath(dataDir, 'K01', run.run.id) }, finishedAt: Date.now() });
  store.runs.setDeployed(run.run.id);
  mkdirSync(stationPaths(dataDir, 'K01').reports, { recursive: true });
  writeFileSync(stationFile(dataDir, 'K01', 'reports', 'stage1.pdf'), Buffer.from('%PDF-1.7 stage one'));
  writeFileSync(stationFile(dataDir, 'K01', 'reports', 'stage2.pdf'), Buffer.from('%PDF-1.7 stage two'));
  return { runId: run.run.id, before: view(store, exam, 'K01') };
}

/** K02 keeps capturing and labeling (file first, then its row, as the worker does) until `stop()`. */
function keepWriting(env: Env): { stop: () => Promise<number> } {
  const { store, dataDir } = env;
  seedStation(env, 'K02', 5002, '44030419920229001');
  const images = stationPaths(dataDir, 'K02').images;
  mkdirSync(images, { recursive: true });
  let isRunning = true;
  let written = 0;
  const writer = (async () => {
    while (isRunning) {
      const n = written++;
      const { photo } = store.photos.receive({ stationNo: 'K02', tgFileId: `w${n}`, tgFileUniqueId: `wu${n}`, source: 'photo', mediaGroupId: null, chatId: 5002, messageId: n + 1, combo: '2' });
      const file = join(images, `${photo.id}.jpg`);
      writeFileSync(file, Buffer.alloc(20_000 + n, n % 251));
      store.photos.complete(photo.id, { status: 'clean', sha256: `k02-${n}`, phash: '0'.repeat(16), format: 'jpeg', width: 640, height: 480, sharpness: 300, meanLuma: 120, darkFraction: 0, brightFraction: 0, rawPath: file, imagePath: file });
      const v = store.labels.addVersion(photo.id, { kind: 'label', author: 5002, boxes: [{ classId: 2, x1: 10, y1: 10, x2: 100 + (n % 50), y2: 90, source: 'human' }] });
      store.labels.confirm(photo.id, v);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      isRunning = false;
      await writer;
      return written;
    },
  };
}

/** The restored K01 is what its contestant and the judges saw, every path under `target`, every file the same bytes. */
function expectSameStation(copy: Store, env: Env, target: string, before: ReturnType<typeof view>): void {
  const { store, dataDir, exam } = env;
  // The same station as its contestant and the judges see it (the ID key came along: names decrypt).
  expect(view(copy, exam, 'K01')).toEqual(before);
  expect(copy.stations.handinFolderName('K01')).toBe(store.stations.handinFolderName('K01'));
  const deployed = copy.runs.deployed('K01')!;
  expect(deployed.dir.startsWith(target)).toBe(true);
  expect(sha(runModelPath(target, 'K01', deployed.id))).toBe(sha(runModelPath(dataDir, 'K01', deployed.id)));
  expect((deployed.metrics as { modelPath: string }).modelPath).toBe(runModelPath(target, 'K01', deployed.id));
  expect(readFileSync(join(deployed.dir, 'metrics.json'), 'utf8')).toContain('0.91');
  for (const r of ['stage1.pdf', 'stage2.pdf']) expect(sha(stationFile(target, 'K01', 'reports', r))).toBe(sha(stationFile(dataDir, 'K01', 'reports', r)));
  for (const p of copy.photos.list('K01')) {
    expect(p.imagePath!.startsWith(`${target}/`), p.imagePath!).toBe(true);
    expect(sha(p.imagePath!)).toBe(sha(join(dataDir, relative(target, p.imagePath!))));
  }
}

/** Consistent under writes: every K02 photo the snapshot's database holds has its file, the same bytes, and its label. */
function expectConsistentUnderWrites(copy: Store, dataDir: string, target: string, written: number): void {
  const k02 = copy.photos.list('K02');
  expect(k02.length).toBeGreaterThan(0);
  expect(k02.length).toBeLessThanOrEqual(written);
  const labelled = new Set(copy.labels.listConfirmed('K02').map((c) => c.photo.id));
  for (const p of k02.filter((x) => x.status === 'clean' || x.status === 'confirmed')) {
    expect(p.imagePath!.startsWith(target), p.imagePath!).toBe(true);
    expect(existsSync(p.imagePath!), `photo ${p.id}`).toBe(true);
    expect(sha(p.imagePath!)).toBe(sha(join(dataDir, relative(target, p.imagePath!))));
    if (p.status === 'confirmed') expect(labelled.has(p.id)).toBe(true);
  }
}

describe('backup and restore', () => {
  const made: Array<{ cleanup: () => void }> = [];
  afterAll(() => made.forEach((m) => m.cleanup()));

  it('a snapshot taken while photos and labels are written restores into an empty DATA_DIR with the same plan, labels, runs and reports', async () => {
    const env = testEnv();
    made.push(env);
    const { dataDir } = env;
    const { runId, before } = await seedDeployedStation(env);

    // Another station keeps capturing and labeling while the backup runs.
    const writer = keepWriting(env);
    const snap = tempDataDir('copilot-snap-');
    made.push(snap);
    const backup = await cli(['backup', '--out', snap.dir], { DATA_DIR: dataDir });
    const written = await writer.stop();
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toMatch(/backup: \d+ files/);
    const manifest = JSON.parse(readFileSync(join(snap.dir, 'manifest.json'), 'utf8')) as { engine: string; files: Array<{ path: string; sha256: string }> };
    expect(manifest.engine).toBe('sqlite');
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['copilot.db', 'id-key', 'stations/K01/reports/stage1.pdf', `stations/K01/models/${runId}.onnx`]));
    expect(manifest.files.some((f) => /copilot\.db-(wal|shm)$|\.tmp-/.test(f.path))).toBe(false);

    // Restore refuses a folder that is not empty, and writes nothing there.
    const busy = tempDataDir('copilot-busy-');
    made.push(busy);
    writeFileSync(join(busy.dir, 'keep.txt'), 'mine');
    const refused = await cli(['restore', '--from', snap.dir, '--data-dir', busy.dir], {});
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('is not empty');
    expect(readdirSync(busy.dir)).toEqual(['keep.txt']);

    const parent = tempDataDir('copilot-restored-');
    made.push(parent);
    const target = join(parent.dir, 'data');
    const restored = await cli(['restore', '--from', snap.dir, '--data-dir', target], {});
    expect(restored.code, restored.output).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o700);
    expect(statSync(join(target, 'id-key')).mode & 0o777).toBe(0o600);

    const copy = openStore({ dataDir: target });
    try {
      expectSameStation(copy, env, target, before);
      expectConsistentUnderWrites(copy, dataDir, target, written);
    } finally {
      copy.close();
    }
  });

  it('refuses a snapshot that does not match its manifest, naming the file, and writes nothing', async () => {
    const env = testEnv();
    made.push(env);
    await seedConfirmedStation(env, 'K03', 5003, 2, '11010519900307123');
    const snap = tempDataDir('copilot-snap-');
    made.push(snap);
    expect((await cli(['backup', '--out', snap.dir], { DATA_DIR: env.dataDir })).code).toBe(0);
    const victim = readdirSync(join(snap.dir, 'data/stations/K03/images'))[0]!;
    const file = join(snap.dir, 'data/stations/K03/images', victim);
    const bytes = readFileSync(file);
    bytes[100] = (bytes[100]! + 1) % 256;
    writeFileSync(file, bytes);
    const target = join(snap.dir, 'restore-here');
    const r = await cli(['restore', '--from', snap.dir, '--data-dir', target], {});
    expect(r.code).toBe(1);
    expect(r.output).toContain(`stations/K03/images/${victim}: sha256 differs`);
    expect(existsSync(target)).toBe(false);
    // A snapshot inside DATA_DIR would copy itself: refused.
    const within = await cli(['backup', '--out', join(env.dataDir, 'snap')], { DATA_DIR: env.dataDir });
    expect(within.code).toBe(1);
    expect(within.output).toContain('is inside DATA_DIR');
    expect(existsSync(join(env.dataDir, 'snap'))).toBe(false);
    // And a second backup into the same, now non-empty, folder is refused.
    const again = await cli(['backup', '--out', snap.dir], { DATA_DIR: env.dataDir });
    expect(again.code).toBe(1);
    expect(again.output).toContain('is not empty');
  });
});

/** Config, exam and a store on a fresh DATA_DIR with the tables in the database at `url` (public schema: pg_dump takes it whole). */
function pgEnv(url: string): Env {
  return testEnv({ DATABASE_URL: url });
}

async function pgQuery(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

const describePg = 'skip' in pgTarget ? describe.skip : describe;
if ('skip' in pgTarget) console.log(`[postgres] skipping "backup and restore on PostgreSQL": ${pgTarget.skip}`);

describePg('backup and restore on PostgreSQL (DATABASE_URL)', () => {
  const made: Array<{ cleanup: () => void }> = [];
  const databases: Array<{ drop: () => Promise<void> }> = [];
  afterAll(async () => {
    made.forEach((m) => m.cleanup()); // closes the stores first: DROP DATABASE then has no one to disconnect
    for (const db of databases) await db.drop();
  });
  const database = async (prefix: string) => {
    const db = await createTestDatabase(prefix);
    databases.push(db);
    return db.url;
  };

  it('a pg_dump snapshot taken while photos and labels are written restores into an empty DATA_DIR and an empty database, paths rebased', async () => {
    const source = await database('copilot_bk_src');
    const env = pgEnv(source);
    made.push(env);
    const { dataDir } = env;
    const { runId, before } = await seedDeployedStation(env);

    const writer = keepWriting(env);
    const snap = tempDataDir('copilot-snap-');
    made.push(snap);
    const backup = await cli(['backup', '--out', snap.dir], { DATA_DIR: dataDir, DATABASE_URL: source });
    const written = await writer.stop();
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toMatch(/backup: \d+ files, .* postgres schema [1-9]/);
    const manifest = JSON.parse(readFileSync(join(snap.dir, 'manifest.json'), 'utf8')) as { engine: string; schemaVersion: number; files: Array<{ path: string; sha256: string }> };
    expect(manifest.engine).toBe('postgres');
    expect(manifest.schemaVersion).toBe(env.store.schemaVersion);
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['copilot.pgdump', 'id-key', 'stations/K01/reports/stage1.pdf', `stations/K01/models/${runId}.onnx`]));
    expect(paths).not.toContain('copilot.db');
    expect(manifest.files.find((f) => f.path === 'copilot.pgdump')!.sha256).toBe(sha(join(snap.dir, 'data/copilot.pgdump')));
    expect(readFileSync(join(snap.dir, 'data/copilot.pgdump')).subarray(0, 5).toString()).toBe('PGDMP'); // custom format

    const targetDb = await database('copilot_bk_dst');
    const parent = tempDataDir('copilot-restored-');
    made.push(parent);
    const target = join(parent.dir, 'data');
    const restored = await cli(['restore', '--from', snap.dir, '--data-dir', target, '--database-url', targetDb], { DATABASE_URL: '' });
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toMatch(/restore: .* \(snapshot of .*, 2 stations\)/);
    expect(existsSync(join(target, 'copilot.pgdump'))).toBe(false);
    expect(existsSync(join(target, 'copilot.db'))).toBe(false);
    // No row of the restored database names the old DATA_DIR.
    expect(await pgQuery(targetDb, `SELECT count(*)::int AS n FROM runs WHERE dir LIKE '${dataDir}/%'`)).toEqual([{ n: 0 }]);

    const copy = openStore({ dataDir: target, databaseUrl: targetDb });
    try {
      expect(copy.engine).toBe('postgres');
      expectSameStation(copy, env, target, before);
      expectConsistentUnderWrites(copy, dataDir, target, written);
    } finally {
      copy.close();
    }
  });

  it('refuses to restore into a database that is not empty, or without one, and writes nothing', async () => {
    const source = await database('copilot_bk_src');
    const env = pgEnv(source);
    made.push(env);
    await seedConfirmedStation(env, 'K03', 5003, 1, '11010519900307123');
    const snap = tempDataDir('copilot-snap-');
    made.push(snap);
    const backup = await cli(['backup', '--out', snap.dir], { DATA_DIR: env.dataDir, DATABASE_URL: source });
    expect(backup.code, backup.output).toBe(0);

    const busyDb = await database('copilot_bk_busy');
    await pgQuery(busyDb, 'CREATE TABLE keep (note text)');
    const target = join(snap.dir, 'restore-here');
    const refused = await cli(['restore', '--from', snap.dir, '--data-dir', target, '--database-url', busyDb], { DATABASE_URL: '' });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('the target database is not empty (1 tables, e.g. public.keep)');
    expect(existsSync(target)).toBe(false);
    expect(await pgQuery(busyDb, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([{ table_name: 'keep' }]);

    const without = await cli(['restore', '--from', snap.dir, '--data-dir', target], { DATABASE_URL: '' });
    expect(without.code).toBe(1);
    expect(without.output).toContain('--database-url');
    expect(existsSync(target)).toBe(false);
  });
});
