import { statSync } from 'node:fs';
import pg from 'pg';
import { redisAnswers } from './redis-local.js';

/**
 * The compose healthcheck of the product's processes (docker-compose.yml), cheap enough to
 * run every 30 s: exit 0 when healthy, 1 otherwise, one line on stderr saying why.
 *
 *   node --import tsx scripts/healthcheck.ts             bot, workers: Redis answers PING and DATA_DIR is there
 *                                                        (and PostgreSQL answers, when DATABASE_URL is set)
 *   node --import tsx scripts/healthcheck.ts --http URL  web: URL answers 200 (e.g. /healthz)
 *
 * The bot and workers serve no HTTP; what they cannot work without is Redis (every job)
 * and the shared data folder (the database), so that is what a restart can help with.
 */
async function main(argv: readonly string[]): Promise<string | undefined> {
  const at = argv.indexOf('--http');
  if (at >= 0) {
    const url = argv[at + 1];
    if (!url) return 'usage: healthcheck.ts --http URL';
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch((err: unknown) => err as Error);
    if (res instanceof Error) return `${url}: ${res.message}`;
    await res.body?.cancel();
    return res.status === 200 ? undefined : `${url} answered ${res.status}`;
  }
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl, 2000))) return `redis at ${new URL(redisUrl).host} does not answer`;
  const dataDir = process.env.DATA_DIR ?? './data';
  try {
    if (!statSync(dataDir).isDirectory()) return `DATA_DIR ${dataDir} is not a folder`;
  } catch {
    return `DATA_DIR ${dataDir} is missing`;
  }
  const databaseUrl = process.env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      // the message names host and reason, never the password
      return `PostgreSQL at ${new URL(databaseUrl).host} does not answer: ${(err as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

main(process.argv.slice(2)).then(
  (problem) => {
    if (problem) console.error(`unhealthy: ${problem}`);
    process.exit(problem ? 1 : 0);
  },
  (err: unknown) => {
    console.error(`unhealthy: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
