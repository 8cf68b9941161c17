import type Database from 'better-sqlite3';

/** What `run` reports: rows changed and, on SQLite, the last inserted rowid (0 on PostgreSQL: use RETURNING). */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement, better-sqlite3's shape: positional arguments or one object for `@name` parameters. */
export interface Statement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
}

/** A transaction function (better-sqlite3's shape): called plainly it is deferred; `.immediate` takes the write lock first. */
export interface TransactionFn<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
}

/**
 * The query layer every repository uses, synchronous on both engines: better-sqlite3
 * itself, or PostgreSQL through a worker thread (`pg-db.ts`). SQL is written for SQLite and
 * kept portable; `sql-dialect.ts` translates the rest for PostgreSQL.
 */
export interface Db {
  readonly engine: 'sqlite' | 'postgres';
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R>;
  /** Runs one or more statements without parameters (migrations). */
  exec(sql: string): void;
  /** Wraps `fn` in a transaction (a savepoint when nested); `fn` must be synchronous. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): TransactionFn<A, R>;
  /** True when the table exists (in the current schema on PostgreSQL). */
  hasTable(name: string): boolean;
  close(): void;
}

/** Wraps an open better-sqlite3 connection as a `Db`. */
export function sqliteDb(raw: Database.Database): Db {
  return {
    engine: 'sqlite',
    prepare: <P extends unknown[], R>(sql: string) => raw.prepare(sql) as unknown as Statement<P, R>,
    exec: (sql) => void raw.exec(sql),
    transaction: <A extends unknown[], R>(fn: (...args: A) => R) => raw.transaction(fn) as unknown as TransactionFn<A, R>,
    hasTable: (name) =>
      raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined,
    close: () => void raw.close(),
  };
}

/** Current time in ms since the epoch; injectable so tests can pin it. */
export type Clock = () => number;

/**
 * Wraps `fn` in a `BEGIN IMMEDIATE` transaction (a savepoint when nested).
 *
 * Every write transaction must take the write lock up front: in WAL mode a deferred
 * transaction that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT without
 * waiting on `busy_timeout`, which is exactly the error several processes would see.
 */
export function immediate<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction<A, R>(fn);
  return (...args: A) => tx.immediate(...args);
}

/** Blocks the thread for `ms` (used only while waiting for a lock at start-up). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** True for SQLITE_BUSY and SQLITE_LOCKED (and their extended codes). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Serialises a JSON column; `null` stays SQL NULL. */
export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * Parses a JSON object column. The store is the only writer, so a malformed value is a
 * bug or manual tampering: it fails loudly, naming the column.
 */
export function parseJsonObject(text: string | null, column: string): Record<string, unknown> | null {
  if (text === null) return null;
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`store: column ${column} holds ${typeof value} instead of a JSON object; fix or clear the row`);
  }
  return value as Record<string, unknown>;
}

/** Quoted SQL literal list (`'a', 'b'`) for an IN clause over constants of ours, never user input. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}
