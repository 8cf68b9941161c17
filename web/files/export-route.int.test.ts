import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signExportLink } from '../../core/index.js';
import { stationPaths } from '../../store/index.js';
import { memoryLogger, testEnv, validId } from '../../test/harness.js';
import { createWebServer } from '../server.js';
import { exportFileRoute } from './index.js';

/** The download link for zips over the Bot API's 50 MB upload limit. */
describe('GET /files/export/<station>/<token>', () => {
  const env = testEnv();
  const secret = 'a-test-secret-of-enough-length';
  const { log } = memoryLogger('web');
  const server = createWebServer({ config: env.config, exam: env.exam, store: env.store, log }, [exportFileRoute({ config: env.config, exam: env.exam, store: env.store, log, linkSecret: secret })]);
  let base = '';
  const zip = Buffer.from('PK\u0005\u0006' + '\u0000'.repeat(18), 'latin1');

  beforeAll(async () => {
    env.store.stations.create({ stationNo: 'W01', contestantName: 'W', idNumber: validId() });
    const dir = stationPaths(env.dataDir, 'W01').exports;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'W01.zip'), zip);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    env.cleanup();
  });

  it('streams the zip as an attachment for a valid token', async () => {
    const token = signExportLink(secret, { stationNo: 'W01', kind: 'dataset', expiresAt: Date.now() + 60_000 });
    const res = await fetch(`${base}/files/export/W01/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="W01.zip"');
    expect(Buffer.from(await res.arrayBuffer()).equals(zip)).toBe(true);
  });

  it('refuses an expired, forged or other station token, and says when the zip is not built', async () => {
    const expired = signExportLink(secret, { stationNo: 'W01', kind: 'dataset', expiresAt: Date.now() - 1 });
    expect((await fetch(`${base}/files/export/W01/${expired}`)).status).toBe(403);
    const forged = signExportLink('another-secret-of-enough-length', { stationNo: 'W01', kind: 'dataset', expiresAt: Date.now() + 60_000 });
    expect((await fetch(`${base}/files/export/W01/${forged}`)).status).toBe(403);
    const other = signExportLink(secret, { stationNo: 'W02', kind: 'dataset', expiresAt: Date.now() + 60_000 });
    expect((await fetch(`${base}/files/export/W01/${other}`)).status).toBe(403);
    const handin = signExportLink(secret, { stationNo: 'W01', kind: 'handin', expiresAt: Date.now() + 60_000 });
    expect((await fetch(`${base}/files/export/W01/${handin}`)).status).toBe(404);
  });
});
