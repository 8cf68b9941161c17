import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, idCheckChar, loadConfig, type Config, type Logger } from '../core/index.js';
import { loadExamConfigFile, openStore, type Store } from '../store/index.js';

/** A fresh DATA_DIR for one test; removed by `cleanup()`. */
export function tempDataDir(prefix = 'copilot-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A queue prefix of its own, so Redis tests never see each other's jobs (BullMQ's `test-${uuid}`). */
export const testPrefix = (): string => `test-${randomUUID().slice(0, 8)}`;

export const TEST_TOKEN = '1234567:TEST-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** A logger that keeps its lines in memory, so tests can check what reached the log. */
export function memoryLogger(name = 'test'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
  return { log: createLogger({ name, level: 'debug', secrets: [TEST_TOKEN], destination: sink }), lines };
}

let pgSchemas = 0;

/**
 * `TEST_STORE_ENGINE=postgres` runs a test's store (testEnv, the chat stack) on PostgreSQL
 * (TEST_DATABASE_URL, default 127.0.0.1:5432 as postgres) in a schema of its own, dropped on
 * close: any integration test can be run on the second engine. Default: SQLite. A test that
 * starts processes passes them `DATABASE_URL: config.DATABASE_URL ?? ''` beside DATA_DIR.
 */
export function testStoreEngine(): { databaseUrl?: string; pgSchema?: string; dropSchemaOnClose?: boolean } {
  if (process.env.TEST_STORE_ENGINE !== 'postgres') return {};
  const schema = `h_${process.pid}_${++pgSchemas}_${randomUUID().slice(0, 6)}`;
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // The schema in the URL too (libpq's `options`; %20, not URLSearchParams' +), so child
  // processes given config.DATABASE_URL use it.
  const options = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return { databaseUrl: `${base}${base.includes('?') ? '&' : '?'}${options}`, pgSchema: schema, dropSchemaOnClose: true };
}

/** Config, exam config and an open store on a fresh DATA_DIR. */
export function testEnv(over: Record<string, string> = {}): {
  config: Config;
  store: Store;
  exam: ReturnType<typeof loadExamConfigFile>;
  dataDir: string;
  cleanup: () => void;
} {
  const data = tempDataDir();
  // A DATABASE_URL given by the test (its own database) wins over the suite's engine.
  const engine = over.DATABASE_URL ? { databaseUrl: over.DATABASE_URL } : testStoreEngine();
  const db = engine.databaseUrl ? { DATABASE_URL: engine.databaseUrl } : {};
  // The guide's unprompted milestone messages are off unless a test asks for them (they would
  // interleave with the messages other tests wait for).
  const config = loadConfig({ DATA_DIR: data.dir, TELEGRAM_BOT_TOKEN: TEST_TOKEN, GUIDE_MILESTONES: 'off', ...db, ...over });
  const store = openStore({ dataDir: data.dir, ...engine });
  const exam = loadExamConfigFile('config/exam.yaml');
  return {
    config,
    store,
    exam,
    dataDir: data.dir,
    cleanup: () => {
      store.close();
      data.cleanup();
    },
  };
}

/** A valid (checksummed) ID number made from 17 digits. */
export const validId = (first17 = '11010519900307123'): string => first17 + idCheckChar(first17);
