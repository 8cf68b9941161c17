import { immediate, type Clock, type Db } from './db-helpers.js';
import { ddlToPostgres } from './sql-dialect.js';

/**
 * Brings the schema up to `migrations.length`. Safe when several processes open the
 * same database at once: each migration runs in its own `BEGIN IMMEDIATE` transaction
 * that re-reads the current version after taking the write lock, so a migration is
 * applied exactly once and the losers of the race see it as done.
 *
 * On PostgreSQL a migration runs as `pgOverrides[version]` when given, else as its SQLite
 * text translated by `ddlToPostgres` (types and table options); the same numbered list.
 *
 * Throws when the database is newer than this code, so an old process never writes
 * into a schema it does not know.
 *
 * @returns the schema version after migrating.
 */
export function migrate(
  db: Db,
  migrations: readonly string[],
  now: Clock,
  pgOverrides: Readonly<Record<number, string>> = {},
): number {
  const target = migrations.length;
  if (readVersion(db) === target) return target;

  const step = immediate(db, (): boolean => {
    db.exec(
      db.engine === 'postgres'
        ? 'CREATE TABLE IF NOT EXISTS migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)'
        : 'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT',
    );
    const current = readVersion(db) ?? 0;
    if (current > target) {
      throw new Error(
        `store: database schema version ${current} is newer than this code knows (${target}); ` +
          'run the newer release or point DATA_DIR at a fresh folder',
      );
    }
    if (current === target) return false;
    const sql = migrations[current];
    if (sql === undefined) throw new Error(`store: migration ${current + 1} is missing from store/migrations.ts`);
    db.exec(db.engine === 'postgres' ? (pgOverrides[current + 1] ?? ddlToPostgres(sql)) : sql);
    db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(current + 1, now());
    return true;
  });

  while (step()) {
    // one migration per transaction, until none is pending
  }
  return readVersion(db) ?? 0;
}

/** Current schema version, or undefined before the `migrations` table exists. */
export function readVersion(db: Db): number | undefined {
  if (!db.hasTable('migrations')) return undefined;
  const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM migrations').get();
  return row?.v ?? 0;
}
