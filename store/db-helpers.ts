import type Database from 'better-sqlite3';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

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
  const tx = db.transaction(fn);
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
