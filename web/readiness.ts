import { existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { baseModelFile, type Store } from '../store/index.js';

/**
 * Readiness (`/readyz`): what the product needs besides this process being alive.
 * `/healthz` stays liveness (the process answers); this says which dependency is down,
 * so an operator (or a load balancer) sees "Redis down" instead of photos that hang.
 */

export type CheckName = 'redis' | 'database' | 'model';
export interface Readiness {
  ok: boolean;
  /** Names of the checks that failed, empty when ready. */
  down: CheckName[];
  checks: Record<CheckName, { ok: boolean; detail?: string }>;
}

/** PING over a raw socket: true when Redis answers +PONG (or asks for auth) within `timeoutMs`. */
export function pingRedis(url: string, timeoutMs = 500): Promise<{ ok: boolean; detail?: string }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok: boolean, detail?: string) => {
      sock.destroy();
      resolve(detail ? { ok, detail } : { ok });
    };
    sock.setTimeout(timeoutMs, () => done(false, 'no answer'));
    sock.once('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? 'error'));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => (/^\+PONG|^-NOAUTH/.test(d.toString()) ? done(true) : done(false, 'unexpected reply')));
  });
}

/** Checks Redis (PING), the database (a query) and the base model file (present, not empty). */
export async function readiness(deps: { store: Store; redisUrl: string | undefined }): Promise<Readiness> {
  const redis = deps.redisUrl ? await pingRedis(deps.redisUrl) : { ok: false, detail: 'REDIS_URL not set' };
  let database: { ok: boolean; detail?: string } = { ok: true };
  try {
    deps.store.ping();
  } catch (err) {
    database = { ok: false, detail: (err as { code?: string }).code ?? 'query failed' };
  }
  const file = baseModelFile(deps.store.dataDir);
  const model = existsSync(file) && statSync(file).size > 0 ? { ok: true } : { ok: false, detail: 'models/base.onnx missing' };
  const checks = { redis, database, model };
  const down = (Object.keys(checks) as CheckName[]).filter((k) => !checks[k].ok);
  return { ok: down.length === 0, down, checks };
}
