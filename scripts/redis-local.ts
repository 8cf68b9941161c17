import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, createServer } from 'node:net';

/**
 * Finds a Redis for the product or the tests: the given URL, else a local
 * redis-server started on a free port (from the setup script's packages).
 */

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends PING over a raw socket; true when a Redis answers +PONG (or asks for auth) within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 800): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(/^\+PONG|^-NOAUTH/.test(d.toString())));
  });
}

/** Name of the pid file a local redis-server with a data dir writes there (tests kill it by this pid). */
export const PIDFILE = 'redis-server.pid';

export interface LocalRedis {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port. With `dir`, data survives a restart
 * (append-only file); without, nothing is kept on disk.
 */
export async function startLocalRedis(opts: { dir?: string; bin?: string; port?: number } = {}): Promise<LocalRedis> {
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  if (opts.dir) {
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    args.push('--dir', opts.dir, '--appendonly', 'yes', '--pidfile', join(opts.dir, PIDFILE));
  } else {
    args.push('--appendonly', 'no');
  }
  const child = spawn(opts.bin ?? 'redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(new Error(`cannot start redis-server (${e.message}); run scripts/setup-system.sh or set REDIS_URL`)),
    ),
  );
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr.trim()}`);
      if (await redisAnswers(url, 200)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not answer within 5 s');
  })();
  await Promise.race([ready, spawnError]);
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** What a supervised redis-server reports. */
export interface RedisEvents {
  onExit(info: { code: number | null; signal: NodeJS.Signals | null; restartInMs: number }): void;
  onRestart(info: { attempt: number }): void;
  onRestartFailed(info: { attempt: number; error: string; retryInMs: number }): void;
}

/**
 * A local redis-server that is started again when it dies, on the same port and with the
 * same data dir (its append-only file), with back-off (0.5 s doubling to 30 s while it
 * keeps dying within a minute). Clients (ioredis in BullMQ) reconnect on their own, so a
 * dead Redis costs a pause, not a person. `process` is the current child.
 */
export async function superviseLocalRedis(opts: { dir: string; bin?: string }, events: Partial<RedisEvents> = {}): Promise<LocalRedis> {
  let current = await startLocalRedis(opts);
  const port = Number(new URL(current.url).port);
  let stopping = false;
  let deaths: number[] = [];
  const backoff = () => {
    const now = Date.now();
    deaths = [...deaths.filter((t) => now - t < 60_000), now];
    return Math.min(30_000, 500 * 2 ** (deaths.length - 1));
  };
  const restart = async (attempt: number): Promise<void> => {
    if (stopping) return;
    try {
      current = await startLocalRedis({ ...opts, port });
      watch(current);
      events.onRestart?.({ attempt });
    } catch (err) {
      const retryInMs = backoff();
      events.onRestartFailed?.({ attempt, error: err instanceof Error ? err.message : String(err), retryInMs });
      setTimeout(() => void restart(attempt + 1), retryInMs).unref();
    }
  };
  const watch = (child: LocalRedis) =>
    child.process.once('exit', (code, signal) => {
      if (stopping) return;
      const restartInMs = backoff();
      events.onExit?.({ code, signal, restartInMs });
      setTimeout(() => void restart(1), restartInMs).unref();
    });
  watch(current);
  return {
    url: current.url,
    get process() {
      return current.process;
    },
    stop: () => {
      stopping = true;
      return current.stop();
    },
  };
}

/** The Redis to use: `url` when it answers, else 127.0.0.1:6379 when it answers (if allowed), else a fresh local one. */
export async function resolveRedis(opts: { url?: string; tryDefault?: boolean; dir?: string; supervise?: Partial<RedisEvents> }): Promise<{ url: string; local?: LocalRedis }> {
  if (opts.url) {
    if (await redisAnswers(opts.url, 3000)) return { url: opts.url };
    throw new Error(`REDIS_URL ${new URL(opts.url).host} does not answer; start it or unset REDIS_URL to use a local redis-server`);
  }
  if (opts.tryDefault && (await redisAnswers('redis://127.0.0.1:6379'))) return { url: 'redis://127.0.0.1:6379' };
  const local = opts.supervise && opts.dir ? await superviseLocalRedis({ dir: opts.dir }, opts.supervise) : await startLocalRedis({ dir: opts.dir });
  return { url: local.url, local };
}
