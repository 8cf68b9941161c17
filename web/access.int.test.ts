import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEditorLink, signExportLink, signProctorLink } from '../core/index.js';
import { memoryLogger, TEST_TOKEN, testEnv } from '../test/harness.js';
import { seedConfirmedStation } from '../test/seed.js';
import { signedInitData } from './editor/test-fixtures/seed.js';
import { webRoutes } from './routes.js';
import { createWebServer, type Route } from './server.js';

/**
 * Issue 16 point 1, the web side: contestant B, holding every credential the product gives B
 * (B's editor links, B's Mini App initData, B's API key, B's export links), asks each route of
 * the web process for station A's photos, boxes, model, dataset and overview. Every request is
 * refused or answers nothing of A; A's labels are unchanged. Each route of `webRoutes` must
 * answer at least one row of the table, so a new route without a row here fails the last test.
 */

const SECRET = 'access-test-link-secret-0123456789';
const A_USER = 8701;
const B_USER = 8702;

interface Ctx {
  aPhoto: number;
  bPhoto: number;
  keyA: string;
  keyB: string;
}

type Row = [name: string, make: (c: Ctx) => { path: string; init?: RequestInit }, expectStatus: number[]];

const editorLink = (userId: number, stationNo: string, photoId: number) => signEditorLink({ secret: SECRET, stationNo, photoId, userId, expiresAt: Date.now() + 60_000 });
const tma = (userId: number) => ({ authorization: `tma ${signedInitData(TEST_TOKEN, userId)}` });

const REFUSED = [401, 403, 404];
const ROWS: Row[] = [
  ['editor page: B’s link with A’s photo', (c) => ({ path: `/editor?t=${editorLink(B_USER, 'QB3', c.aPhoto)}` }), REFUSED],
  ['editor page: a link naming A’s station for B', (c) => ({ path: `/editor?t=${editorLink(B_USER, 'ZA9', c.aPhoto)}` }), REFUSED],
  ['editor page: B’s initData asking for A’s photo', (c) => ({ path: `/editor?photo=${c.aPhoto}`, init: { headers: tma(B_USER) } }), [200, ...REFUSED]],
  ['editor api photo: B’s link with A’s photo', (c) => ({ path: `/editor/api/photo?t=${editorLink(B_USER, 'QB3', c.aPhoto)}` }), REFUSED],
  ['editor api photo: B’s initData with A’s photo', (c) => ({ path: `/editor/api/photo?photo=${c.aPhoto}`, init: { headers: tma(B_USER) } }), REFUSED],
  ['editor api image: B’s link with A’s photo', (c) => ({ path: `/editor/api/image?t=${editorLink(B_USER, 'QB3', c.aPhoto)}` }), REFUSED],
  [
    'editor api save: B’s link with A’s photo',
    (c) => ({
      path: `/editor/api/save?t=${editorLink(B_USER, 'QB3', c.aPhoto)}`,
      init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ boxes: [{ classId: 0, x1: 1, y1: 1, x2: 50, y2: 50 }] }) },
    }),
    REFUSED,
  ],
  ['editor static: a public asset, no station data', () => ({ path: '/editor/static/editor-boxes.js' }), [200]],
  ['detect: B’s key on A’s service', (c) => ({ path: '/api/v1/stations/ZA9/detect', init: { method: 'POST', headers: { authorization: `Bearer ${c.keyB}` }, body: new Uint8Array([0xff, 0xd8, 0xff]) } }), REFUSED],
  ['model info: B’s key on A’s service', (c) => ({ path: '/api/v1/stations/ZA9/model', init: { headers: { 'x-api-key': c.keyB } } }), REFUSED],
  ['openapi: public, no station data', () => ({ path: '/api/v1/openapi.json' }), [200]],
  ['invoke page of A: public, no key or photo', () => ({ path: '/invoke/ZA9' }), [200]],
  ['invoke static: a public asset', () => ({ path: '/invoke/static/invoke.css' }), [200]],
  ['export file: B’s dataset token on A’s path', () => ({ path: `/files/export/ZA9/${signExportLink(SECRET, { stationNo: 'QB3', kind: 'dataset', expiresAt: Date.now() + 60_000 })}` }), REFUSED],
  ['export file: B’s handin token on A’s path', () => ({ path: `/files/export/ZA9/${signExportLink(SECRET, { stationNo: 'QB3', kind: 'handin', expiresAt: Date.now() + 60_000 })}` }), REFUSED],
  ['proctor page: a link signed for B', () => ({ path: `/proctor?t=${signProctorLink({ secret: SECRET, userId: B_USER, expiresAt: Date.now() + 60_000 })}` }), [403]],
  ['proctor json: B’s initData', () => ({ path: '/proctor/stations.json', init: { headers: tma(B_USER) } }), [403]],
  ['healthz: public', () => ({ path: '/healthz' }), [200]],
  ['readyz: public', () => ({ path: '/readyz' }), [200, 503]],
  ['home: public', () => ({ path: '/' }), [200]],
];

describe('web routes never show one station another’s data', () => {
  const env = testEnv({ LINK_SECRET: SECRET });
  const deps = { config: env.config, exam: env.exam, store: env.store, log: memoryLogger('web').log };
  const hits = new Map<string, number>();
  const routes = webRoutes({ ...deps, linkSecret: SECRET, onSaved: () => undefined });
  const counted: Route[] = routes.map(({ name, route }) => async (req, res, url) => {
    const answered = await route(req, res, url);
    if (answered) hits.set(name, (hits.get(name) ?? 0) + 1);
    return answered;
  });
  const server = createWebServer(deps, counted);
  let base = '';
  const c: Ctx = { aPhoto: 0, bPhoto: 0, keyA: '', keyB: '' };
  let aLabels = '';

  beforeAll(async () => {
    await seedConfirmedStation(env, 'ZA9', A_USER, 1, '5');
    await seedConfirmedStation(env, 'QB3', B_USER, 1, '6');
    c.aPhoto = env.store.photos.list('ZA9')[0]?.id ?? 0;
    c.bPhoto = env.store.photos.list('QB3')[0]?.id ?? 0;
    const run = env.store.runs.create({ stationNo: 'ZA9', kind: 'train', params: {}, chatId: null }).run;
    env.store.runs.update(run.id, { status: 'completed' });
    env.store.runs.setDeployed(run.id);
    const a = env.store.apiKeys.issue('ZA9');
    const b = env.store.apiKeys.issue('QB3');
    if (a.kind !== 'issued' || b.kind !== 'issued') throw new Error('no keys');
    c.keyA = a.key;
    c.keyB = b.key;
    aLabels = JSON.stringify(env.store.labels.listConfirmed('ZA9').map((p) => env.store.labels.confirmed(p.photo.id)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    env.cleanup();
  });

  it.each(ROWS)('%s', async (_name, make, statuses) => {
    const { path, init } = make(c);
    const res = await fetch(base + path, init);
    expect(statuses).toContain(res.status);
    const body = Buffer.from(await res.arrayBuffer());
    const text = body.toString('latin1');
    // Nothing of A: not its key, not its photo's bytes (JPEG), not its boxes or station number.
    expect(text).not.toContain(c.keyA);
    expect(body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    if (!path.includes('/ZA9')) expect(text).not.toContain('ZA9');
    expect(JSON.stringify(env.store.labels.listConfirmed('ZA9').map((p) => env.store.labels.confirmed(p.photo.id)))).toBe(aLabels);
  });

  it('B’s own link still works (the refusals above are about the station, not a broken route)', async () => {
    const res = await fetch(`${base}/editor/api/photo?t=${editorLink(B_USER, 'QB3', c.bPhoto)}`);
    expect(res.status).toBe(200);
    const image = await fetch(`${base}/editor/api/image?t=${editorLink(B_USER, 'QB3', c.bPhoto)}`);
    expect(image.status).toBe(200);
  });

  it('every route of the web process answered a row of the table', () => {
    expect(routes.map((r) => r.name).filter((n) => !hits.has(n))).toEqual([]);
  });
});
