import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Db, RunResult, Statement, TransactionFn } from './db-helpers.js';
import { bindValues, toPostgres } from './sql-dialect.js';

/** How long the main thread waits for one answer from PostgreSQL before giving up, in ms. */
export const PG_ANSWER_TIMEOUT_MS = 60_000;

export interface PgDbOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  url: string;
  /** A schema to create (if missing) and use instead of `public` (tests, shared clusters). */
  schema?: string;
  /** Drop `schema` with everything in it on close (tests). */
  dropSchemaOnClose?: boolean;
  /** How long a statement waits for a lock (the writer lock included) before failing, in ms. */
  lockTimeoutMs: number;
}

/** `begin`: open the transaction first (with the writer lock, or a plain snapshot) — saves a round trip. */
type Begin = { begin?: 'lock' | 'plain' };
type Request =
  | { op: 'connect' }
  | ({ op: 'query'; text: string; values: unknown[]; locked: boolean; inTx: boolean } & Begin)
  | ({ op: 'exec'; text: string } & Begin)
  | ({ op: 'lock' } & Begin)
  | { op: 'close' };

type Reply =
  | { ok: true; rows: Record<string, unknown>[]; rowCount: number }
  | { ok: false; error: { message: string; code?: string; detail?: string } };

/** An error from PostgreSQL, with its SQLSTATE in `code` (e.g. 23505 unique violation). */
export class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'PgError';
  }
}

/**
 * A synchronous client of one PostgreSQL connection: a worker thread runs `pg`; each call
 * posts a request and blocks this thread in `Atomics.wait` until the worker has answered
 * (the technique of `synckit`). One request at a time, like a SQLite connection.
 */
class PgBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  constructor(options: PgDbOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./pg-worker.mjs', import.meta.url), {
      workerData: {
        port: port2,
        signal: this.signal.buffer,
        url: options.url,
        schema: options.schema ?? null,
        dropSchemaOnClose: options.dropSchemaOnClose ?? false,
        lockTimeoutMs: options.lockTimeoutMs,
      },
      transferList: [port2],
    });
    // The worker must never keep the process alive; errors surface as a missing answer.
    this.worker.unref();
    this.port.unref();
  }

  call(req: Request): { rows: Record<string, unknown>[]; rowCount: number } {
    if (this.closed) throw new Error('store: the PostgreSQL connection is closed');
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(req);
    const waited = Atomics.wait(this.signal, 0, 0, PG_ANSWER_TIMEOUT_MS);
    const msg = receiveMessageOnPort(this.port);
    if (msg === undefined) {
      const why = waited === 'timed-out' ? `no answer in ${PG_ANSWER_TIMEOUT_MS / 1000} s` : 'the worker stopped';
      throw new Error(`store: PostgreSQL bridge failed (${why}); check DATABASE_URL and that the server is up`);
    }
    const reply = msg.message as Reply;
    if (!reply.ok) {
      throw new PgError(`store: PostgreSQL: ${reply.error.message}`, reply.error.code, reply.error.detail);
    }
    return reply;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' });
    } finally {
      this.closed = true;
      this.port.close();
      void this.worker.terminate();
    }
  }
}

/** bytea columns come back through structured clone as Uint8Array; repositories expect Buffers. */
function fixRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const k in row) {
    const v = row[k];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
}

/**
 * The store's `Db` over PostgreSQL. Transactions are BEGIN/COMMIT on the one connection
 * (savepoints when nested). Writes take a transaction-scoped advisory lock per database and
 * schema first — `immediate` transactions and single write statements alike — so writers are
 * serialised exactly as SQLite serialises them, and the repositories' read-then-write
 * transactions (next version number, quota checks) stay correct with several processes.
 * Plain (read) transactions run at REPEATABLE READ: one snapshot, as in SQLite.
 */
export function pgDb(options: PgDbOptions): Db {
  const bridge = new PgBridge(options);
  try {
    bridge.call({ op: 'connect' });
  } catch (err) {
    bridge.close();
    throw err;
  }
  let depth = 0;
  /** Whether the open transaction holds the writer lock. */
  let txLocked = false;
  /** A transaction begun here but not yet on the server: it rides on the next request. */
  let pendingBegin: 'lock' | 'plain' | null = null;

  const send = (req: Exclude<Request, { op: 'connect' } | { op: 'close' }>) => {
    if (pendingBegin === null) return bridge.call(req);
    const begin = pendingBegin;
    pendingBegin = null;
    return bridge.call({ ...req, begin });
  };
  /** Inside a transaction, before a write: take the writer lock (SQLite upgrades too). */
  const lockForWrite = () => {
    if (depth === 0 || txLocked) return;
    txLocked = true;
    if (pendingBegin !== null) pendingBegin = 'lock';
    else send({ op: 'lock' });
  };

  const query = (text: string, values: unknown[], isRead: boolean) => {
    if (!isRead) lockForWrite();
    return send({ op: 'query', text, values, locked: depth === 0 && !isRead, inTx: depth > 0 });
  };

  return {
    engine: 'postgres',
    prepare<P extends unknown[], R>(sql: string): Statement<P, R> {
      const stmt = toPostgres(sql);
      const isRead = /^\s*SELECT\b/i.test(sql);
      const rows = (params: unknown[]) => query(stmt.text, bindValues(stmt, params), isRead).rows.map(fixRow) as R[];
      return {
        run: (...params: P): RunResult => {
          const r = query(stmt.text, bindValues(stmt, params), isRead);
          return { changes: r.rowCount, lastInsertRowid: 0 };
        },
        get: (...params: P) => rows(params)[0],
        all: (...params: P) => rows(params),
        iterate: (...params: P) => rows(params)[Symbol.iterator](),
      };
    },
    exec(sql) {
      lockForWrite();
      send({ op: 'exec', text: sql });
    },
    transaction<A extends unknown[], R>(fn: (...args: A) => R): TransactionFn<A, R> {
      const run =
        (lock: boolean) =>
        (...args: A): R => {
          const savepoint = `sp${depth}`;
          const wasLocked = txLocked;
          if (depth === 0) {
            pendingBegin = lock ? 'lock' : 'plain';
            txLocked = lock;
          } else {
            send({ op: 'exec', text: `SAVEPOINT ${savepoint}` });
          }
          depth++;
          if (lock) lockForWrite();
          let result: R;
          try {
            result = fn(...args);
            if (result instanceof Promise) throw new TypeError('store: a transaction function must not be async');
          } catch (err) {
            depth--;
            // a lock taken inside a rolled-back savepoint is released with it
            txLocked = depth === 0 ? false : wasLocked;
            if (depth === 0 && pendingBegin !== null) pendingBegin = null; // never reached the server
            else {
              try {
                send({ op: 'exec', text: depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` });
              } catch {
                // the original error says more than a failed rollback
              }
            }
            throw err;
          }
          depth--;
          if (depth === 0) txLocked = false;
          if (depth === 0 && pendingBegin !== null) pendingBegin = null; // nothing was sent: nothing to commit
          else send({ op: 'exec', text: depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}` });
          return result;
        };
      const tx = run(false) as TransactionFn<A, R>;
      tx.immediate = run(true);
      return tx;
    },
    hasTable(name) {
      const r = query(
        'SELECT 1 AS one FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1',
        [name],
        true,
      );
      return r.rows.length > 0;
    },
    close: () => bridge.close(),
  };
}
