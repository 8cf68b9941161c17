// @ts-check
/**
 * The PostgreSQL side of the store's synchronous bridge (`pg-db.ts`): a worker thread
 * holding one `pg` connection. The main thread posts a request on `port` and blocks in
 * `Atomics.wait` on `signal[0]`; this worker answers on `port`, then sets `signal[0] = 1`
 * and wakes it. Plain JavaScript so it runs the same under tsx, vitest and node.
 */
import { workerData } from 'node:worker_threads';
import pg from 'pg';

/** @type {{ port: import('node:worker_threads').MessagePort; signal: SharedArrayBuffer; url: string; schema: string | null; dropSchemaOnClose: boolean; lockTimeoutMs: number }} */
const data = workerData;
const signal = new Int32Array(data.signal);

// Counts and sums come back as int8/numeric: numbers, as SQLite gives them (safe below 2^53).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** @type {pg.Client} */
let client;
/** The connection's error once it broke (server restarted, network cut); null while it is good. */
/** @type {Error | null} */
let broken = null;

function newClient() {
  // The schema in the name, so an operator (or a test) can tell the connections apart.
  const name = data.schema ? `trainer-copilot/${data.schema}`.slice(0, 63) : 'trainer-copilot';
  const c = new pg.Client({ connectionString: data.url, application_name: name, connectionTimeoutMillis: 10_000 });
  c.on('error', (err) => {
    if (c === client) broken = err;
  });
  return c;
}
/** Advisory-lock key of this database + schema: the single writer lock (see pg-db.ts). */
let lockKey = 0;

/** @type {Map<string, string>} */
const names = new Map();
/** @param {string} text */
function statementName(text) {
  let name = names.get(text);
  if (name === undefined) {
    name = `s${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a statement under its name. Another process migrating the schema under us (a rolling
 * upgrade) invalidates a prepared `SELECT *` (SQLSTATE 0A000): then it is prepared afresh
 * under a new name, once — outside a transaction only, since inside one the error has
 * already aborted it (the caller's transaction fails and may be retried).
 * @param {{ text: string; values: unknown[] }} q
 * @param {boolean} canRetry
 */
async function namedQuery(q, canRetry) {
  try {
    return await client.query({ name: statementName(q.text), ...q });
  } catch (/** @type {any} */ err) {
    if (err?.code !== '0A000' || !canRetry) throw err;
    names.set(q.text, `s${names.size + 1}_${Date.now()}`);
    return client.query({ name: statementName(q.text), ...q });
  }
}

/** @param {string} name */
const ident = (name) => `"${name.replace(/"/g, '""')}"`;

async function connect() {
  client = newClient();
  broken = null;
  names.clear(); // prepared statements belong to a connection
  try {
    await setUp();
  } catch (/** @type {any} */ err) {
    broken = err instanceof Error ? err : new Error(String(err)); // the next call tries again
    throw err;
  }
  return { rows: [], rowCount: 0 };
}

async function setUp() {
  await client.connect();
  await client.query(`SET lock_timeout = ${Math.round(data.lockTimeoutMs)}`);
  // The durability SQLite has here (WAL, synchronous=NORMAL): a commit survives the process
  // crashing, and at worst the last fraction of a second is lost if the server's host
  // loses power; without it every commit waits for a disk flush (10 ms measured under load).
  await client.query('SET synchronous_commit = off');
  if (data.schema) {
    // Several processes may race to create it: a lost race is no error.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(data.schema)}`).catch((/** @type {any} */ err) => {
      if (err?.code !== '23505' && err?.code !== '42P06') throw err;
    });
    await client.query(`SET search_path TO ${ident(data.schema)}`);
  }
  const r = await client.query("SELECT hashtext(current_database() || '/' || current_schema()) AS k");
  lockKey = Number(r.rows[0].k);
}

/** @param {any} req */
async function handle(req) {
  if (broken) {
    // The connection broke (server restarted, network cut). A transaction on it is gone:
    // its statements, savepoints and COMMIT fail (the caller's transaction fails). Anything
    // that starts afresh — a new transaction, a statement outside one, the ROLLBACK that
    // ends a failed transaction — reconnects first: a restarted server costs each process
    // one failed call, not a restart.
    if (req.op === 'close') return { rows: [], rowCount: 0 };
    const fresh = req.begin !== undefined || (req.op === 'query' && !req.inTx) || (req.op === 'exec' && req.text === 'ROLLBACK');
    if (!fresh) throw broken;
    await client.end().catch(() => undefined);
    await connect();
    if (req.op === 'exec') return { rows: [], rowCount: 0 };
  }
  if (req.begin !== undefined) {
    // A transaction the main thread opened, begun with its first request.
    try {
      await client.query(
        req.begin === 'lock' ? `BEGIN; SELECT pg_advisory_xact_lock(${lockKey})` : 'BEGIN ISOLATION LEVEL REPEATABLE READ',
      );
    } catch (err) {
      // no transaction is left open when the lock could not be had
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  switch (req.op) {
    case 'connect':
      return connect();
    case 'query': {
      // Buffers arrive as Uint8Array (structured clone); pg sends a Buffer as bytea.
      const values = req.values.map((/** @type {unknown} */ v) => (v instanceof Uint8Array ? Buffer.from(v) : v));
      // Named: the server parses and plans each distinct statement once per connection.
      const config = { text: req.text, values };
      if (!req.locked) {
        const r = await namedQuery(config, !req.inTx);
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      }
      // A write outside a transaction: a transaction of its own under the writer lock.
      try {
        await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${lockKey})`);
        const r = await namedQuery(config, false);
        await client.query('COMMIT');
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
    case 'lock':
      await client.query(`SELECT pg_advisory_xact_lock(${lockKey})`);
      return { rows: [], rowCount: 0 };
    case 'exec':
      await client.query(req.text);
      return { rows: [], rowCount: 0 };
    case 'close':
      if (data.schema && data.dropSchemaOnClose) await client.query(`DROP SCHEMA IF EXISTS ${ident(data.schema)} CASCADE`);
      await client.end();
      return { rows: [], rowCount: 0 };
    default:
      throw new Error(`pg-worker: unknown op ${String(req.op)}`);
  }
}

data.port.on('message', (req) => {
  handle(req)
    .then(
      (result) => data.port.postMessage({ ok: true, ...result }),
      (/** @type {any} */ err) =>
        data.port.postMessage({
          ok: false,
          error: {
            message: String(err?.message ?? err),
            code: typeof err?.code === 'string' ? err.code : undefined,
            detail: typeof err?.detail === 'string' ? err.detail : undefined,
          },
        }),
    )
    .finally(() => {
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    });
});
