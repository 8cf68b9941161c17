import path from 'node:path';
import Database from 'better-sqlite3';
import { apiKeysRepo, type ApiKeysRepo } from './api-keys-repo.js';
import { invocationsRepo, type InvocationsRepo } from './invocations-repo.js';
import { modelBoxesRepo, type ModelBoxesRepo } from './model-boxes-repo.js';
import { guideRepo, type GuideRepo } from './guide-repo.js';
import { immediate, isBusyError, sleepSync, sqliteDb, type Clock, type Db } from './db-helpers.js';
import { datasetRepo, type DatasetRepo } from './dataset-repo.js';
import { labelsRepo, type LabelsRepo } from './labels-repo.js';
import { databasePath } from './layout.js';
import { migrate } from './migrate.js';
import { MIGRATIONS, PG_MIGRATION_OVERRIDES } from './migrations.js';
import { pgDb } from './pg-db.js';
import { photosRepo, type PhotosRepo } from './photos-repo.js';
import { reviewsRepo, type ReviewsRepo } from './reviews-repo.js';
import { runsRepo, type RunsRepo } from './runs-repo.js';
import { ensureIdKey, idCipher } from './id-crypto.js';
import { secureDatabaseFiles, secureDataDir } from './permissions.js';
import { sealClearIds, stationsRepo, type StationsRepo } from './stations-repo.js';
import { ingestQueries, type IngestQueries } from './ingest-queries.js';
import { diskUsageQueries, type DiskUsageQueries } from './disk-usage.js';
import { updatesRepo, type UpdatesRepo } from './updates-repo.js';
import { usersRepo, type UsersRepo } from './users-repo.js';

/** How long a connection waits for another process's write lock, in ms. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenStoreOptions {
  /** DATA_DIR: created if missing; the database is `<dataDir>/copilot.db`. */
  dataDir: string;
  /** Clock for every timestamp the store writes (ms since the epoch); tests pin it. */
  now?: Clock;
  /** Key sealing ID numbers (32 bytes); default: `DATA_DIR/id-key`, made once. */
  idKey?: Buffer;
  /**
   * DATABASE_URL: `postgres://…` keeps the tables in PostgreSQL instead of
   * `DATA_DIR/copilot.db` (files stay in DATA_DIR either way). Unset: SQLite.
   */
  databaseUrl?: string;
  /** PostgreSQL only: a schema to create and use instead of `public` (tests; several deployments on one server). */
  pgSchema?: string;
  /** PostgreSQL only: drop `pgSchema` with all its tables on close (tests). */
  dropSchemaOnClose?: boolean;
}

/**
 * One process's handle on the shared state. Every method is synchronous and runs in
 * its own transaction; several processes may hold a store on the same DATA_DIR.
 */
export interface Store {
  /** Absolute DATA_DIR. */
  readonly dataDir: string;
  /** Where the tables are: `sqlite` (DATA_DIR/copilot.db) or `postgres` (DATABASE_URL). */
  readonly engine: 'sqlite' | 'postgres';
  /** Schema version after migrating. */
  readonly schemaVersion: number;
  readonly stations: StationsRepo;
  readonly users: UsersRepo;
  readonly photos: PhotosRepo;
  readonly labels: LabelsRepo;
  readonly reviews: ReviewsRepo;
  readonly runs: RunsRepo;
  readonly updates: UpdatesRepo;
  readonly ingest: IngestQueries;
  /** Disk use per station (caps, proctor view). */
  readonly disk: DiskUsageQueries;
  /** The dataset as a whole: recorded split, imports, hand-in folder name. */
  readonly dataset: DatasetRepo;
  /** Hashed API keys of the invocation service, one per station. */
  readonly apiKeys: ApiKeysRepo;
  /** Answered invocation-service calls, for the measured latency in the stage-two report. */
  readonly invocations: InvocationsRepo;
  /** The model's own boxes of each photo's proposal, for the station's box correction. */
  readonly modelBoxes: ModelBoxesRepo;
  /** The guide: exam clock, announced milestones, per-chat conversation memory. */
  readonly guide: GuideRepo;
  /** Runs `fn` in one BEGIN IMMEDIATE transaction (nested calls become savepoints); `fn` must be synchronous. */
  transaction<T>(fn: () => T): T;
  /** Runs a trivial query (readiness checks); throws when the database cannot be read. */
  ping(): void;
  /** Closes the connection; the store must not be used afterwards. */
  close(): void;
}

/**
 * Opens (creating if needed) `dataDir/copilot.db` in WAL mode with a 5 s busy timeout,
 * foreign keys on and `synchronous=NORMAL`, and migrates it; or, with `databaseUrl`, the
 * PostgreSQL database there (one connection, through a worker thread: see `pg-db.ts`).
 * Safe to call from several processes at once.
 */
export function openStore(options: OpenStoreOptions): Store {
  const dataDir = path.resolve(options.dataDir);
  const now = options.now ?? Date.now;
  const db = options.databaseUrl
    ? openPostgres(dataDir, options.databaseUrl, options)
    : sqliteDb(openDatabase(dataDir));
  try {
    const schemaVersion = migrate(db, MIGRATIONS, now, PG_MIGRATION_OVERRIDES);
    const cipher = idCipher(options.idKey ?? ensureIdKey(dataDir));
    sealClearIds(db, cipher);
    return {
      dataDir,
      engine: db.engine,
      schemaVersion,
      stations: stationsRepo(db, now, cipher),
      users: usersRepo(db, now),
      photos: photosRepo(db, now),
      labels: labelsRepo(db, now),
      reviews: reviewsRepo(db, now),
      runs: runsRepo(db, now, dataDir),
      updates: updatesRepo(db, now),
      ingest: ingestQueries(db),
      disk: diskUsageQueries(db, dataDir),
      dataset: datasetRepo(db, now),
      apiKeys: apiKeysRepo(db, now),
      invocations: invocationsRepo(db, now),
      modelBoxes: modelBoxesRepo(db, now),
      guide: guideRepo(db, now),
      transaction: <T>(fn: () => T): T => immediate(db, fn)(),
      ping: () => void db.prepare('SELECT count(*) AS n FROM stations').get(),
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** DATA_DIR still holds the files and the ID key; the tables live in PostgreSQL. */
function openPostgres(dataDir: string, url: string, options: OpenStoreOptions): Db {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('store: DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite in DATA_DIR)');
  }
  secureDataDir(dataDir);
  return pgDb({
    url,
    schema: options.pgSchema,
    dropSchemaOnClose: options.dropSchemaOnClose,
    lockTimeoutMs: BUSY_TIMEOUT_MS,
  });
}

/**
 * Creates `dataDir` (0700) and opens its database (0600, -wal and -shm too) with the
 * connection settings every process must share (WAL, busy timeout, foreign keys,
 * synchronous=NORMAL), without migrating. Looser modes are narrowed or refused.
 * Internal: exported for tests, not from `index.ts`.
 */
export function openDatabase(dataDir: string): Database.Database {
  secureDataDir(dataDir);
  secureDatabaseFiles(databasePath(dataDir));
  const db = new Database(databasePath(dataDir), { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    enableWal(db);
    secureDatabaseFiles(databasePath(dataDir));
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Switches to WAL. The switch needs an exclusive lock and, when another process is
 * doing the same on a brand-new file, can report SQLITE_BUSY without waiting on
 * `busy_timeout`; so retry for up to the busy timeout.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode === 'wal') return;
      throw new Error(
        `store: SQLite kept journal_mode=${String(mode)} instead of WAL; put DATA_DIR on a local filesystem (WAL needs shared memory)`,
      );
    } catch (err) {
      if (!isBusyError(err) || Date.now() > deadline) throw err;
      sleepSync(Math.min(5 * 2 ** attempt, 100));
    }
  }
}
