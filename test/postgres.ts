/**
 * PostgreSQL for tests: the store's test files run once on SQLite and once on PostgreSQL
 * (`describeEngines`). Which server: TEST_DATABASE_URL when set; else one answering on
 * 127.0.0.1:5432 as user `postgres` (Debian's cluster); else one this process starts
 * (`initdb` into a temporary folder, `pg_ctl start` on a free port) when
 * PostgreSQL's binaries are installed (`scripts/setup-system.sh`; see `OWN_PG_DIR`). Otherwise the PostgreSQL
 * variants are skipped with a printed line saying why — never silently.
 * `TEST_PG_START=1` skips the first two (tests the self-started server).
 * Each store gets a schema of its own, dropped when it closes.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { OpenStoreOptions } from '../store/index.js';

export type Engine = 'sqlite' | 'postgres';

export type PgTarget = { url: string; how: string } | { skip: string };

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin (not on PATH). */
function serverBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
}

/**
 * The self-started server is shared: one per user in `<tmp>/copilot-pg-test-<uid>` (data,
 * log, `url`), started by the first test file that needs it (a lock folder keeps parallel
 * files from racing) and reused by the others and by later runs. `npm test` stops it at the
 * end (scripts/test.sh); after a bare `npx vitest` it keeps running:
 * `pg_ctl -D <tmp>/copilot-pg-test-<uid>/data stop` stops it.
 */
export const OWN_PG_DIR = join(tmpdir(), `copilot-pg-test-${userInfo().uid}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordedUrl(): string | undefined {
  try {
    return readFileSync(join(OWN_PG_DIR, 'url'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

async function startOwn(): Promise<PgTarget> {
  const bin = serverBinDir();
  if (bin === undefined) {
    return { skip: 'no PostgreSQL server here and none installed (/usr/lib/postgresql/*/bin/initdb; scripts/setup-system.sh installs it)' };
  }
  const lock = `${OWN_PG_DIR}.lock`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const url = recordedUrl();
    if (url && (await answers(url))) return { url, how: `own server in ${OWN_PG_DIR}` };
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is starting it; a lock left by a killed run goes after 2 min
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) return { skip: `waited 2 min for another test file to start PostgreSQL (${lock})` };
      await sleep(300);
    }
  }
  try {
    const url = recordedUrl();
    if (url && (await answers(url))) return { url, how: `own server in ${OWN_PG_DIR}` };
    return await initAndStart(bin);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function initAndStart(bin: string): Promise<PgTarget> {
  // PostgreSQL refuses to run as root: as root, run it as the package's `postgres` user.
  const asRoot = userInfo().uid === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  const dir = OWN_PG_DIR;
  const data = join(dir, 'data');
  try {
    if (existsSync(join(data, 'postmaster.pid'))) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // not running
      }
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { mode: 0o700 });
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(dir, uid, gid);
    }
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
    run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    if (!(await answers(url))) return { skip: `started PostgreSQL on port ${port} but it does not answer (log: ${dir}/log)` };
    writeFileSync(join(dir, 'url'), `${url}\n`);
    console.log(`[postgres] started a test server on port ${port} (${data}); npm test stops it at the end`);
    return { url, how: `started its own in ${dir}` };
  } catch (err) {
    const msg = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err);
    return { skip: `could not start a PostgreSQL server: ${msg.slice(0, 300)}` };
  }
}

async function findPostgres(): Promise<PgTarget> {
  if (process.env.TEST_PG_START !== '1') {
    const env = process.env.TEST_DATABASE_URL;
    if (env) return (await answers(env)) ? { url: env, how: 'TEST_DATABASE_URL' } : { skip: 'TEST_DATABASE_URL does not answer' };
    const local = 'postgres://postgres@127.0.0.1:5432/postgres';
    if (await answers(local)) return { url: local, how: '127.0.0.1:5432' };
  }
  return startOwn();
}

/** Where the PostgreSQL variants run, or why they are skipped (decided once per test file). */
export const pgTarget: PgTarget = await findPostgres();

let schemas = 0;

/** The `openStore` options selecting `engine`: on PostgreSQL a fresh schema, dropped on close. */
export function engineOptions(engine: Engine): Pick<OpenStoreOptions, 'databaseUrl' | 'pgSchema' | 'dropSchemaOnClose'> {
  if (engine === 'sqlite') return {};
  if ('skip' in pgTarget) throw new Error(`PostgreSQL unavailable: ${pgTarget.skip}`);
  const schema = `t_${process.pid}_${++schemas}_${Math.random().toString(36).slice(2, 8)}`;
  return { databaseUrl: pgTarget.url, pgSchema: schema, dropSchemaOnClose: true };
}

/**
 * `describe(name)` once per engine: `name [sqlite]` and `name [postgres]`. Without a
 * PostgreSQL server the second is skipped and a line says why.
 */
export function describeEngines(name: string, body: (engine: Engine) => void): void {
  describe(`${name} [sqlite]`, () => body('sqlite'));
  if ('skip' in pgTarget) {
    console.log(`[postgres] skipping "${name}" on PostgreSQL: ${pgTarget.skip}`);
    describe.skip(`${name} [postgres]`, () => body('postgres'));
  } else {
    describe(`${name} [postgres]`, () => body('postgres'));
  }
}

/** Rows of `sql` read straight from a test store's PostgreSQL schema (what is really kept). */
export async function pgRows(options: ReturnType<typeof engineOptions>, sql: string): Promise<Record<string, unknown>[]> {
  if (!options.databaseUrl || !options.pgSchema) throw new Error('pgRows: not a PostgreSQL store');
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${options.pgSchema}"`);
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the test server (for what needs a whole database: pg_dump,
 * pg_restore); `drop()` removes it, disconnecting whoever still uses it.
 */
export async function createTestDatabase(prefix: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  if ('skip' in pgTarget) throw new Error(`PostgreSQL unavailable: ${pgTarget.skip}`);
  const admin = pgTarget.url;
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
