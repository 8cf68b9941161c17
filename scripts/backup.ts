import path from 'node:path';
import { loadConfig } from '../core/index.js';
import { backupDataDir, restoreDataDir, openStore, snapshotEngine } from '../store/index.js';

/**
 * `npm run backup -- --out DIR [--data-dir DIR]`: a consistent snapshot of DATA_DIR while the
 * product runs (store/backup.ts says how).
 * `npm run restore -- --from DIR [--data-dir EMPTY_DIR] [--database-url URL]`: checks the
 * snapshot's manifest, then restores it into an empty DATA_DIR (default: the configured one)
 * and, for a snapshot taken with DATABASE_URL (PostgreSQL), into the empty database at
 * --database-url (default: DATABASE_URL).
 * Exit 0 done, 1 refused or failed (the reason on stderr), 2 usage.
 */
function arg(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const mode = argv[0];
  const config = loadConfig(process.env);
  const dataDir = path.resolve(arg(argv, '--data-dir') ?? config.DATA_DIR);
  if (mode === 'backup') {
    const out = arg(argv, '--out');
    if (!out) return usage();
    const started = Date.now();
    const m = await backupDataDir({ dataDir, out, databaseUrl: config.DATABASE_URL });
    const bytes = m.files.reduce((s, f) => s + f.bytes, 0);
    console.log(`backup: ${m.files.length} files, ${(bytes / 1048576).toFixed(1)} MB, ${snapshotEngine(m)} schema ${m.schemaVersion}, from ${dataDir} to ${path.resolve(out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  }
  if (mode === 'restore') {
    const from = arg(argv, '--from');
    if (!from) return usage();
    const databaseUrl = arg(argv, '--database-url') ?? config.DATABASE_URL;
    const m = await restoreDataDir({ from, dataDir, databaseUrl });
    // Opening it migrates a snapshot from older code and checks the database reads.
    const store = openStore({ dataDir, databaseUrl: snapshotEngine(m) === 'postgres' ? databaseUrl : undefined });
    const stations = store.stations.list().length;
    store.close();
    const into = snapshotEngine(m) === 'postgres' ? ' and the PostgreSQL database' : '';
    console.log(`restore: ${m.files.length} files checked and restored into ${dataDir}${into} (snapshot of ${m.createdAt}, ${stations} stations); start the product on it`);
    return 0;
  }
  return usage();
}

function usage(): number {
  console.error('usage: npm run backup -- --out DIR [--data-dir DIR]\n       npm run restore -- --from DIR [--data-dir EMPTY_DIR] [--database-url URL]');
  return 2;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
