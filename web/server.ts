import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config, ExamConfig, Logger } from '../core/index.js';
import type { BlobStore, Store } from '../store/index.js';
import { setBaseHeaders } from './headers.js';
import { readiness } from './readiness.js';

/** What the web process needs. */
export interface WebDeps {
  config: Config;
  exam: ExamConfig;
  store: Store;
  log: Logger;
  /** The shared object store when `S3_*` is set: a deployed model missing here is fetched from it. */
  blobs?: BlobStore;
}

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

/** Sends JSON with a status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/**
 * The web process's HTTP server: a list of routes tried in order (each returns
 * true when it answered). Later capabilities add the inference API, the visual
 * page and the box editor as routes. Every response carries `BASE_HEADERS` (CSP,
 * nosniff). `/healthz` is liveness; `/readyz` names what is down (503).
 */
export function createWebServer(deps: WebDeps, routes: readonly Route[] = []): Server {
  const base: Route[] = [
    (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/healthz') return false;
      sendJson(res, 200, { ok: true, stations: deps.store.stations.list().length });
      return true;
    },
    async (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/readyz') return false;
      const r = await readiness({ store: deps.store, redisUrl: deps.config.REDIS_URL });
      sendJson(res, r.ok ? 200 : 503, r);
      return true;
    },
    (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/') return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><meta charset="utf-8"><title>Trainer Copilot</title><h1>Trainer Copilot · 训练师副驾</h1><p>${deps.exam.title}</p><p><a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>`,
      );
      return true;
    },
  ];
  const all = [...routes, ...base];
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    setBaseHeaders(res);
    void (async () => {
      for (const route of all) {
        if (await route(req, res, url)) return;
      }
      sendJson(res, 404, { error: 'not-found' });
    })().catch((err: unknown) => {
      deps.log.error({ err, path: url.pathname }, 'web request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.end();
    });
  });
}
