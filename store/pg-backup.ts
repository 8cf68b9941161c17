import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * The PostgreSQL half of backup and restore (store/backup.ts does the files): the tables
 * are taken with `pg_dump --format=custom` (one MVCC snapshot: consistent while the product
 * writes) and put back with `pg_restore` into an empty database. Scripts run these, not the
 * product's processes, so plain async `pg` is enough (no worker-thread bridge).
 */

/** Runs `fn` with one connection to `url`, closed afterwards. */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // a dropped connection surfaces as the query's error
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The URL without its password, and the password as PGPASSWORD: a command line is
 * readable by every user of the machine (`ps`), the environment is not.
 */
export function libpqTarget(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  if (!u.password) return { url, env: {} };
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: { PGPASSWORD: password } };
}

/**
 * `pg_dump`/`pg_restore` of the server's major version: Debian keeps each in
 * /usr/lib/postgresql/<major>/bin (an older pg_dump refuses a newer server); else PATH.
 */
export async function pgTool(url: string, tool: 'pg_dump' | 'pg_restore'): Promise<string> {
  const num = await withClient(url, async (c) => Number((await c.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0]?.server_version_num));
  const major = Math.floor(num / 10000);
  const own = `/usr/lib/postgresql/${major}/bin/${tool}`;
  if (existsSync(own)) return own;
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '').map((d) => path.join(d, tool)).find((f) => existsSync(f));
  if (onPath) return onPath;
  throw new Error(`${tool} not found (neither ${own} nor on PATH); scripts/setup-system.sh installs PostgreSQL's client tools (Debian package postgresql), or install postgresql-client-${major}`);
}

/** Runs a PostgreSQL client tool; a failure carries its stderr (the password never is in it: see libpqTarget). */
function runTool(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, ...env }, maxBuffer: 16 * 1048576 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(file)} failed (${err.code ?? err.signal ?? 'error'}): ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

/** Writes the database at `url` to `file` (custom format, no owners: restorable as another role). */
export async function pgDump(url: string, file: string): Promise<void> {
  const tool = await pgTool(url, 'pg_dump');
  const target = libpqTarget(url);
  await runTool(tool, ['--format=custom', '--no-owner', '--file', file, target.url], target.env);
}

/** `SELECT max(version) FROM migrations` of the database at `url` (0 before the first migration). */
export async function pgSchemaVersion(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ v: number | null }>('SELECT max(version) AS v FROM migrations')).rows[0]?.v ?? 0));
}

/** The user tables of the database at `url`, `schema.table` (a restore target must have none). */
export async function pgUserTables(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const rows = (await c.query<{ t: string }>("SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' ORDER BY 1")).rows;
    return rows.map((r) => r.t);
  });
}

/**
 * Restores `file` into the database at `url` in one transaction: a failure leaves the
 * database as empty as it was.
 */
export async function pgRestore(url: string, file: string): Promise<void> {
  const tool = await pgTool(url, 'pg_restore');
  const target = libpqTarget(url);
  await runTool(tool, ['--no-owner', '--single-transaction', '--exit-on-error', '--dbname', target.url, file], target.env);
}

/**
 * Rewrites `from/…` to `to/…` in every text column of every user table, in one transaction
 * (rows keep absolute paths; the SQLite twin is `rebasePaths`). Returns the rows changed.
 */
export async function pgRebasePaths(url: string, from: string, to: string): Promise<number> {
  if (path.resolve(from) === path.resolve(to)) return 0;
  const old = path.resolve(from) + path.sep;
  const neu = path.resolve(to) + path.sep;
  return withClient(url, async (c) => {
    const cols = (await c.query<{ s: string; t: string; c: string }>(
      "SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name) WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.data_type IN ('text', 'character varying') ORDER BY 1, 2, 3",
    )).rows;
    const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
    let changed = 0;
    await c.query('BEGIN');
    try {
      for (const { s, t, c: col } of cols) {
        const r = await c.query(`UPDATE ${q(s)}.${q(t)} SET ${q(col)} = replace(${q(col)}, $1, $2) WHERE strpos(${q(col)}, $1) > 0`, [old, neu]);
        changed += r.rowCount ?? 0;
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return changed;
  });
}
