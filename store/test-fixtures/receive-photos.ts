/**
 * Child process for store.int.test.ts: waits for the go file, opens the store (racing
 * the other children through migrations), registers the station, receives `count`
 * photos of its own plus the same number of another worker's unique ids, then tries
 * `runs` times to queue (and complete) a training run.
 * Prints one JSON line: { worker, created, existing, stationCreated, runsCreated, runsBusy, errors, startedAt, openMs, finishedAt }.
 *
 * Usage: tsx receive-photos.ts <dataDir> <worker> <workers> <count> <runs> <goFile>
 * On PostgreSQL: TEST_STORE_DATABASE_URL and TEST_STORE_PG_SCHEMA in the environment.
 */
import { existsSync } from 'node:fs';
import { sleepSync } from '../db-helpers.js';
import { openStore } from '../open-store.js';

const [dataDir, workerArg, workersArg, countArg, runsArg, goFile] = process.argv.slice(2);
if (!dataDir || !workerArg || !workersArg || !countArg || !runsArg || !goFile) {
  throw new Error('usage: receive-photos.ts <dataDir> <worker> <workers> <count> <runs> <goFile>');
}
const worker = Number(workerArg);
const workers = Number(workersArg);
const count = Number(countArg);
const runs = Number(runsArg);

process.stdout.write('ready\n');
while (!existsSync(goFile)) sleepSync(2);

const startedAt = Date.now();
const result = { worker, created: 0, existing: 0, stationCreated: false, errors: [] as string[], runsCreated: 0, runsBusy: 0, startedAt, openMs: 0, finishedAt: 0 };
const store = openStore({
  dataDir,
  databaseUrl: process.env.TEST_STORE_DATABASE_URL || undefined,
  pgSchema: process.env.TEST_STORE_PG_SCHEMA || undefined,
});
result.openMs = Date.now() - startedAt;
try {
  result.stationCreated = store.stations.create({ stationNo: 'S01', contestantName: 'C', idNumber: 'X' }).kind === 'created';
  const peer = (worker + 1) % workers;
  for (let i = 0; i < count; i++) {
    // Interleave own ids with the peer's, so the same key is raced by two processes.
    for (const key of [`w${worker}-${i}`, `w${peer}-${i}`]) {
      try {
        const r = store.photos.receive({
          stationNo: 'S01',
          tgFileId: `file-${key}-from-${worker}`,
          tgFileUniqueId: key,
          source: 'photo',
          mediaGroupId: null,
          chatId: worker,
          messageId: i,
          combo: '0',
        });
        if (r.kind === 'new') result.created++;
        else result.existing++;
      } catch (err) {
        result.errors.push(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`);
      }
    }
  }
  // Read-then-write transactions (check for an active run, pick the next number, insert).
  for (let i = 0; i < runs; i++) {
    try {
      const r = store.runs.create({ stationNo: 'S01', kind: 'train', params: { worker, i }, chatId: worker });
      if (r.kind === 'created') {
        result.runsCreated++;
        store.runs.update(r.run.id, { status: 'completed' });
      } else {
        result.runsBusy++;
      }
    } catch (err) {
      result.errors.push(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`);
    }
  }
} finally {
  store.close();
}
result.finishedAt = Date.now();
process.stdout.write(`${JSON.stringify(result)}\n`);
