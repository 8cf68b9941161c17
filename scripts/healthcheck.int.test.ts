import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pgTarget } from '../test/postgres.js';
import { freePort } from './redis-local.js';

/** The compose healthcheck, run as compose runs it (`node --import tsx scripts/healthcheck.ts`). */
function check(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/healthcheck.ts', ...args], { env: { ...process.env, ...env } }, (err, _out, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stderr });
    });
  });
}

describe('scripts/healthcheck.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-health-'));
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bot and workers: healthy when Redis answers and DATA_DIR exists; unhealthy, saying why, otherwise', async () => {
    expect(await check([], { REDIS_URL: inject('redisUrl'), DATA_DIR: dir })).toEqual({ code: 0, stderr: '' });
    const down = await check([], { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, DATA_DIR: dir });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('does not answer');
    const noData = await check([], { REDIS_URL: inject('redisUrl'), DATA_DIR: join(dir, 'missing') });
    expect(noData.code).toBe(1);
    expect(noData.stderr).toContain('is missing');
  });

  it('with DATABASE_URL: unhealthy, naming the host and not the password, when PostgreSQL does not answer', async () => {
    const url = `postgres://copilot:pw-not-logged@127.0.0.1:${await freePort()}/copilot`;
    const down = await check([], { REDIS_URL: inject('redisUrl'), DATA_DIR: dir, DATABASE_URL: url });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+ does not answer/);
    expect(down.stderr).not.toContain('pw-not-logged');
    if (!('skip' in pgTarget)) {
      expect(await check([], { REDIS_URL: inject('redisUrl'), DATA_DIR: dir, DATABASE_URL: pgTarget.url })).toEqual({ code: 0, stderr: '' });
    } else console.log(`[postgres] healthy case skipped: ${pgTarget.skip}`);
  });

  it('web: healthy only on a 200 answer', async () => {
    expect((await check(['--http', `${base}/healthz`], {})).code).toBe(0);
    const bad = await check(['--http', `${base}/readyz`], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('answered 503');
  });
});
