import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express from 'express';
import { Gauge } from 'prom-client';
import { QUEUES, type Config } from '../core/index.js';
import { createMetricsScraper, type MetricsScraper } from '../queue/index.js';
import type { Store } from '../store/index.js';
import type { Route } from './server.js';

/** Where the queue dashboard is mounted. */
export const DASHBOARD_PATH = '/admin/queues';
/** The dashboard's basic-auth user; the password is `ADMIN_PASSWORD`. */
export const ADMIN_USER = 'admin';

/**
 * `/metrics`: Prometheus text of every process (the web's own registry with the queue
 * depths and the training runs by state read at scrape time, merged with what the bot
 * and workers pushed through Redis: `queue/metrics.ts`). It names queues and counts only,
 * no station, photo or person.
 */
export function metricsRoute(deps: { config: Config; store: Store; scraper?: MetricsScraper }): { route: Route; scraper: MetricsScraper } {
  const scraper = deps.scraper ?? createMetricsScraper({ redisUrl: deps.config.REDIS_URL, prefix: deps.config.QUEUE_PREFIX });
  new Gauge({
    name: 'copilot_training_runs',
    help: 'Training and assist runs by kind and state, from the database at scrape time',
    labelNames: ['kind', 'state'],
    registers: [scraper.metrics.registry],
    collect() {
      this.reset();
      for (const station of deps.store.stations.list()) {
        for (const run of deps.store.runs.list(station.stationNo)) this.inc({ kind: run.kind, state: run.status });
      }
    },
  });
  const route: Route = async (req, res, url) => {
    if (req.method !== 'GET' || url.pathname !== '/metrics') return false;
    const body = await scraper.scrape();
    res.writeHead(200, { 'content-type': scraper.contentType, 'cache-control': 'no-store' });
    res.end(body);
    return true;
  };
  return { route, scraper };
}

/** The dashboard's page loads its own scripts and styles; nothing from elsewhere, never framed. */
const DASHBOARD_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** True when the request carries `admin:<password>` as HTTP basic auth (compared in constant time). */
export function isAdmin(req: IncomingMessage, password: string): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  const given = createHash('sha256').update(Buffer.from(m[1], 'base64')).digest();
  const expected = createHash('sha256').update(`${ADMIN_USER}:${password}`).digest();
  return timingSafeEqual(given, expected);
}

/**
 * The BullMQ dashboard (`@bull-board`) at `/admin/queues`, read-only (the database is the
 * source of truth: jobs are re-made from it, so removing or promoting them by hand would
 * only confuse it). Behind HTTP basic auth with `ADMIN_PASSWORD`; without one configured it
 * answers 404, never an open dashboard.
 */
export function dashboardRoute(deps: { config: Config }): { route: Route; close(): Promise<void> } {
  const password = deps.config.ADMIN_PASSWORD;
  const redisUrl = deps.config.REDIS_URL;
  if (!password || !redisUrl) return { route: () => false, close: () => Promise.resolve() };
  const connection = { url: redisUrl, maxRetriesPerRequest: 1 } as const;
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: deps.config.QUEUE_PREFIX }));
  for (const q of queues) q.on('error', () => undefined);
  const adapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    // @bull-board/express pins its own copy of @bull-board/api (9.10.1 beside our 9.10.2): the same
    // shapes declared twice, so TypeScript sees two types; the adapter only needs the board's handlers.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Trainer Copilot' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(DASHBOARD_PATH, adapter.getRouter() as express.Router);
  const route: Route = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname !== DASHBOARD_PATH && !url.pathname.startsWith(`${DASHBOARD_PATH}/`)) return false;
    if (!isAdmin(req, password)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Trainer Copilot queues", charset="UTF-8"', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Sign in as the administrator (ADMIN_PASSWORD). 请以管理员身份登录。');
      return true;
    }
    res.setHeader('content-security-policy', DASHBOARD_CSP);
    return new Promise<boolean>((resolve) => {
      res.once('finish', () => resolve(true));
      res.once('close', () => resolve(true));
      app(req as express.Request, res as express.Response, () => {
        if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        resolve(true);
      });
    });
  };
  return { route, close: async () => void (await Promise.all(queues.map((q) => q.close()))) };
}
