import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killProcess, startProcess, until } from '../../test/processes.js';
import { tempDataDir, validId } from '../../test/harness.js';
import { openStore, runModelPath } from '../../store/index.js';
import { FIXTURE_MODEL, solidJpeg } from './test-fixtures/world.js';

/** The web entry point (`web/main.ts`, as the launcher starts it) serves the invocation service. */

const data = tempDataDir('invoke-main-');
let child: ChildProcess | undefined;
let output: () => string = () => '';
let baseUrl = '';
let key = '';

beforeAll(async () => {
  const store = openStore({ dataDir: data.dir });
  store.stations.create({ stationNo: 'A01', contestantName: '张三', idNumber: validId() });
  const issued = store.apiKeys.issue('A01');
  if (issued.kind !== 'issued') throw new Error('no key');
  key = issued.key;
  const run = store.runs.create({ stationNo: 'A01', kind: 'train', params: {}, chatId: null }).run;
  store.runs.update(run.id, { status: 'completed' });
  const file = runModelPath(data.dir, 'A01', run.id);
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(FIXTURE_MODEL, file);
  store.runs.setDeployed(run.id);
  store.close();
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  baseUrl = `http://127.0.0.1:${port}`;
  ({ child, output } = startProcess('web/main.ts', { DATA_DIR: data.dir, WEB_PORT: String(port), WEB_HOST: '127.0.0.1', REDIS_URL: '', LINK_SECRET: 'main-test-link-secret-0123456789' }));
  await until(() => fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false), 30_000, `web process (${output()})`);
}, 60_000);

afterAll(async () => {
  if (child) await killProcess(child, 'SIGTERM');
  data.cleanup();
});

describe('web/main.ts', () => {
  it('serves detect, the OpenAPI document and the visual page; the key never reaches the log', async () => {
    const res = await fetch(`${baseUrl}/api/v1/stations/A01/detect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(await solidJpeg(320, 240)),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ run: 'A01-r1', image: { width: 320, height: 240 } });
    expect((await fetch(`${baseUrl}/api/v1/openapi.json`).then((r) => r.json())) as object).toMatchObject({ openapi: '3.1.0' });
    const page = await fetch(`${baseUrl}/invoke/A01`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('invoke-app.js')]);
    expect(output()).not.toContain(key.slice(7));
  });
});
