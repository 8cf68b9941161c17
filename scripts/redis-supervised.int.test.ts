import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../test/harness.js';
import { until } from '../test/processes.js';
import { freePort, PIDFILE } from './redis-local.js';

/**
 * `npm start`'s own redis-server is supervised like the other children: SIGKILL it and it
 * comes back on the same port with the same data, and the web process's /readyz says
 * Redis is down meanwhile and up again after.
 */
describe('the launcher supervises its redis-server', () => {
  const data = tempDataDir();
  let out = '';
  let child: ReturnType<typeof spawn> | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((r) => {
        child?.once('exit', () => r());
        child?.kill('SIGTERM');
      });
    }
    data.cleanup();
  });

  it('restarts a SIGKILLed redis-server with the same port and data', async () => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: data.dir, EMULATOR_PORT: String(await freePort()), WEB_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    delete env.REDIS_URL;
    delete env.TELEGRAM_BOT_TOKEN;
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stderr?.on('data', (d) => (out += String(d)));
    await until(() => /local redis-server \((redis:\/\/\S+),/.test(out), 30_000, 'the launcher banner');
    const redisUrl = /local redis-server \((redis:\/\/\S+),/.exec(out)?.[1] ?? '';
    const webUrl = /Web \(invocation service, editor\): (\S+)/.exec(out)?.[1] ?? '';
    const readyz = async () => {
      const r = await fetch(`${webUrl}/readyz`).catch(() => undefined);
      return r ? ((await r.json()) as { down: string[] }) : undefined;
    };
    await until(async () => (await readyz())?.down.includes('redis') === false, 90_000, 'web ready with Redis up'); // as start.int.test: a loaded machine starts web slowly

    // Something worth keeping, flushed to the append-only file.
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.set('launcher-test', 'kept');
      await client.bgrewriteaof();
      await until(async () => /aof_rewrite_in_progress:0[\s\S]*aof_last_bgrewrite_status:ok/.test(await client.info('persistence')), 10_000, 'AOF rewritten');

      const pidFile = join(data.dir, 'redis', PIDFILE);
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      await until(async () => (await readyz())?.down.includes('redis') === true, 10_000, '/readyz to report Redis down');
      await until(() => out.includes('redis-server exited; restarting'), 10_000, 'the launcher to notice');

      await until(async () => (await readyz())?.down.includes('redis') === false, 30_000, 'Redis back');
      const newPid = Number(readFileSync(pidFile, 'utf8').trim());
      expect(newPid).not.toBe(pid);
      expect(await client.get('launcher-test')).toBe('kept'); // same port (ioredis reconnected) and same data
      expect((await fetch(`${webUrl}/healthz`)).status).toBe(200);
    } finally {
      client.disconnect();
    }
  });
});
