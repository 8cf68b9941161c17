import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import { openStore } from './open-store.js';
import { tempDir } from './test-fixtures/temp-store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'test-fixtures', 'receive-photos.ts');

interface ChildResult {
  worker: number;
  created: number;
  existing: number;
  stationCreated: boolean;
  runsCreated: number;
  runsBusy: number;
  errors: string[];
  startedAt: number;
  openMs: number;
  finishedAt: number;
}

/** Starts a child; resolves `ready` once it prints "ready", `done` with its result line. */
function startChild(args: string[], env: Record<string, string>): { ready: Promise<void>; done: Promise<ChildResult> } {
  const child = spawn('npx', ['tsx', script, ...args], {
    cwd: path.resolve(here, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`child ${args[1]} exited ${code}: ${err || out}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
  return { ready, done };
}

describeEngines('store shared by several processes', (engine) => {
  let cleanup: () => void = () => undefined;
  afterEach(() => cleanup());

  it('3 processes migrate, register and receive 200 photos each plus each other\'s duplicates, then race for runs: no BUSY, no duplicates', async () => {
    const tmp = tempDir('store-int-');
    cleanup = tmp.cleanup;
    const dataDir = path.join(tmp.dir, 'data'); // not created yet: the children race to create it
    const goFile = path.join(tmp.dir, 'go');
    const workers = 3;
    const count = 200;
    const runs = 30;
    const options = engineOptions(engine);
    const env = { TEST_STORE_DATABASE_URL: options.databaseUrl ?? '', TEST_STORE_PG_SCHEMA: options.pgSchema ?? '' };

    const children = Array.from({ length: workers }, (_, w) =>
      startChild([dataDir, String(w), String(workers), String(count), String(runs), goFile], env),
    );
    await Promise.all(children.map((c) => c.ready));
    writeFileSync(goFile, '');
    const results = await Promise.all(children.map((c) => c.done));

    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.filter((r) => r.stationCreated)).toHaveLength(1);
    expect(results.reduce((s, r) => s + r.created, 0)).toBe(workers * count);
    expect(results.reduce((s, r) => s + r.existing, 0)).toBe(workers * count);

    const store = openStore({ dataDir, ...options });
    try {
      const photos = store.photos.list('S01');
      expect(photos).toHaveLength(workers * count);
      const keys = new Set(photos.map((p) => p.tgFileUniqueId));
      expect(keys.size).toBe(workers * count);
      for (let w = 0; w < workers; w++) {
        for (let i = 0; i < count; i++) expect(keys.has(`w${w}-${i}`)).toBe(true);
      }
      expect(store.stations.list()).toHaveLength(1);

      // Run numbers are gap-free and unique although three processes raced for them.
      const created = results.reduce((s, r) => s + r.runsCreated, 0);
      expect(created + results.reduce((s, r) => s + r.runsBusy, 0)).toBe(workers * runs);
      expect(created).toBeGreaterThan(0);
      const ids = store.runs.list('S01').map((r) => r.id);
      expect(ids).toEqual(Array.from({ length: created }, (_, i) => `S01-r${created - i}`));
      expect(store.runs.active('S01')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
