import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore, type OpenStoreOptions, type Store } from '../../store/index.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';

/** BENCH_DATABASE_URL, else Debian's local cluster (what the tests use first). */
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function time(n: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn(i);
    out.push(performance.now() - s);
  }
  return out;
}

function measure(label: string, options: Partial<OpenStoreOptions>): Metric[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const out: Metric[] = [];
  let store: Store | undefined;
  try {
    const t0 = performance.now();
    store = openStore({ dataDir: dir, ...options });
    out.push(metric(`${label}: open + migrate a new database`, performance.now() - t0, 'ms'));
    const s = store;
    s.stations.create({ stationNo: 'S01', contestantName: 'Bench', idNumber: '110101199001011234' });
    s.users.upsert({ userId: 1, chatId: 1 });
    const n = 500;
    // warm up (statements prepared on the server, JIT)
    time(50, () => s.users.get(1));
    const ping = time(n, () => s.ping());
    out.push(metric(`${label}: trivial query (ping) p50`, percentile(ping, 50), 'ms'));
    const read = time(n, () => s.users.get(1));
    out.push(metric(`${label}: read round trip (users.get) p50`, percentile(read, 50), 'ms'));
    out.push(metric(`${label}: read round trip (users.get) p95`, percentile(read, 95), 'ms'));
    const write = time(n, (i) => s.users.setActiveCombo(1, String(i % 7)));
    out.push(metric(`${label}: single write (users.setActiveCombo) p50`, percentile(write, 50), 'ms'));
    const tx = time(n, (i) =>
      s.photos.receive({
        stationNo: 'S01', tgFileId: `f${i}`, tgFileUniqueId: `u${i}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: i, combo: '0',
      }),
    );
    out.push(metric(`${label}: write transaction (photos.receive) p50`, percentile(tx, 50), 'ms'));
    out.push(metric(`${label}: write transaction (photos.receive) p95`, percentile(tx, 95), 'ms'));
    const box = { classId: 0, x1: 1, y1: 2, x2: 30, y2: 40, source: 'model' as const, score: 0.9 };
    const label3 = time(200, (i) => s.labels.addVersion(i + 1, { kind: 'proposal', author: 'model', boxes: [box, box, box] }));
    out.push(metric(`${label}: labels.addVersion, 3 boxes (6 statements) p50`, percentile(label3, 50), 'ms'));
    const list = time(50, () => s.photos.list('S01'));
    out.push(metric(`${label}: photos.list of 500 rows p50`, percentile(list, 50), 'ms'));
  } finally {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * The store's round trips on SQLite and on PostgreSQL through the synchronous bridge
 * (worker thread + Atomics.wait; every write under the writer lock).
 */
export const bench: Bench = {
  name: 'store',
  description: 'repository round trips: SQLite vs PostgreSQL through the worker-thread bridge',
  async run(): Promise<Metric[]> {
    const out = measure('sqlite', {});
    try {
      out.push(...measure('postgres', { databaseUrl: PG_URL, pgSchema: `bench_${process.pid}`, dropSchemaOnClose: true }));
    } catch (err) {
      console.log(`store bench: PostgreSQL part skipped (${PG_URL.replace(/:[^:@/]*@/, ':***@')}): ${(err as Error).message}`);
    }
    return out;
  },
};
