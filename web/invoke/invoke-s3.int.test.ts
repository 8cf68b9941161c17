import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/index.js';
import { blobKey, blobStoreFromConfig, runModelPath, type BlobStore } from '../../store/index.js';
import { memoryLogger, testEnv, validId } from '../../test/harness.js';
import { startS3rver } from '../../test/s3rver.js';
import { createWebServer } from '../server.js';
import { invokeRoutes, ModelCache } from './index.js';
import { FIXTURE_MODEL, solidJpeg } from './test-fixtures/world.js';

/**
 * The invocation service of a web process whose host did not train the deployed run: the model
 * is only in the bucket (a real s3rver process) and is fetched on the first request.
 */
const server = await startS3rver('copilot-web');

describe.skipIf(!server)('detect with the deployed model only in the object store (s3rver)', () => {
  const env = testEnv({ ...(server?.env ?? {}) });
  const blobs = blobStoreFromConfig(loadConfig({ ...(server?.env ?? {}) })) as BlobStore;
  const models = new ModelCache({ maxModels: 2, threads: 1 });
  const servers: Array<ReturnType<typeof createWebServer>> = [];
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((done) => s.close(() => done()));
    }
    await models.close();
    env.cleanup();
    await server?.stop();
  });

  async function serve(withBlobs: boolean): Promise<string> {
    const { log } = memoryLogger('web');
    const deps = { config: env.config, exam: env.exam, store: env.store, log, ...(withBlobs ? { blobs } : {}) };
    const s = createWebServer(deps, invokeRoutes(deps, {}, { models }));
    servers.push(s);
    await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  it('fetches the model from the bucket on first use and answers; without S3 the same request finds no model', async () => {
    env.store.stations.create({ stationNo: 'W01', contestantName: 'W', idNumber: validId() });
    const issued = env.store.apiKeys.issue('W01');
    if (issued.kind !== 'issued') throw new Error('no key');
    const run = env.store.runs.create({ stationNo: 'W01', kind: 'train', params: { epochs: 1 }, chatId: null }).run;
    env.store.runs.update(run.id, { status: 'completed', metrics: { map50: 0.5 } });
    expect(env.store.runs.setDeployed(run.id).kind).toBe('deployed');
    const file = runModelPath(env.dataDir, 'W01', run.id);
    await blobs.putFile(blobKey(env.dataDir, file), FIXTURE_MODEL); // trained elsewhere: only in the bucket
    expect(existsSync(file)).toBe(false);

    const body = new Uint8Array(await solidJpeg(320, 240));
    const call = (base: string) =>
      fetch(`${base}/api/v1/stations/W01/detect`, { method: 'POST', headers: { authorization: `Bearer ${issued.key}`, 'content-type': 'image/jpeg' }, body });

    const without = await call(await serve(false));
    expect(without.status).toBeGreaterThanOrEqual(500);
    expect(existsSync(file)).toBe(false);

    const res = await call(await serve(true));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { run: string }).run).toBe(run.id);
    expect(readFileSync(file)).toEqual(readFileSync(FIXTURE_MODEL));
  });
});

if (!server) console.warn('SKIP: web/invoke/invoke-s3.int.test.ts — s3rver could not start (the line above says why)');
