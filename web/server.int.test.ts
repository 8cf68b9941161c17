import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger, testEnv } from '../test/harness.js';
import { baseModelFile } from '../store/index.js';
import { editorRoutes } from './editor/index.js';
import { createWebServer } from './server.js';

/** Real HTTP responses of the web process: security headers everywhere, /readyz naming what is down. */

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function serve(redisUrl: string) {
  const env = testEnv({ REDIS_URL: redisUrl, LINK_SECRET: 'int-test-link-secret-0123456789' });
  const { log } = memoryLogger('web');
  const deps = { config: env.config, exam: env.exam, store: env.store, log };
  const server = createWebServer(deps, editorRoutes({ ...deps, onSaved: () => undefined }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    env,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      env.cleanup();
    },
  };
}

describe('web headers', () => {
  let world: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => void (world = await serve(REDIS)));
  afterAll(() => world.close());

  it('every response carries nosniff and a CSP, errors and health included', async () => {
    for (const p of ['/', '/healthz', '/readyz', '/no-such-page', '/editor?t=bad', '/editor/api/photo?t=bad']) {
      const res = await fetch(world.base + p);
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), p).toContain("default-src 'none'");
    }
  });

  it('only the editor may be framed, and only by Telegram web clients', async () => {
    const home = await fetch(world.base + '/');
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const editor = await fetch(world.base + '/editor?t=bad');
    const csp = editor.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-ancestors https://web.telegram.org https://*.telegram.org');
    expect(csp).not.toContain("frame-ancestors 'none'");
  });
});

describe('/readyz', () => {
  it('names the model as down until base.onnx exists, then is ready; /healthz stays ok', async () => {
    const world = await serve(REDIS);
    try {
      let res = await fetch(world.base + '/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, down: ['model'] });
      const file = baseModelFile(world.env.dataDir);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, 'onnx');
      res = await fetch(world.base + '/readyz');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, down: [] });
    } finally {
      await world.close();
    }
  });

  it('names Redis as down when it does not answer, while /healthz still answers', async () => {
    const world = await serve('redis://127.0.0.1:1');
    try {
      const res = await fetch(world.base + '/readyz');
      expect(res.status).toBe(503);
      const body = (await res.json()) as { down: string[]; checks: { redis: { detail: string } } };
      expect(body.down).toContain('redis');
      expect(body.down).not.toContain('database');
      expect(body.checks.redis.detail).toBe('ECONNREFUSED');
      expect((await fetch(world.base + '/healthz')).status).toBe(200);
    } finally {
      await world.close();
    }
  });
});
