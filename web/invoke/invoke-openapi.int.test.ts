import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModelPath } from '../../store/index.js';
import { TEST_TOKEN } from '../../test/harness.js';
import { signedInitData } from '../editor/test-fixtures/seed.js';
import { FIXTURE_MODEL, solidJpeg, startInvokeWorld, type InvokeWorld } from './test-fixtures/world.js';

/**
 * The served OpenAPI document against real answers: every status the service gave
 * must be listed for its operation, and the body must satisfy the document's schema
 * (read from the document, turned into a validator; not the code's zod schemas).
 */

let w: InvokeWorld;
let doc: Record<string, unknown>;
let black: Buffer;

beforeAll(async () => {
  w = await startInvokeWorld();
  black = await solidJpeg(320, 240);
  const res = await fetch(`${w.baseUrl}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Record<string, unknown>;
});
afterAll(async () => w?.close());

type Json = Record<string, unknown>;

/** Replaces `$ref: '#/components/schemas/X'` with the schema it names. */
function resolveRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolveRefs);
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string') {
    const name = /^#\/components\/schemas\/(\w+)$/.exec(ref)?.[1];
    const target = name ? ((doc.components as Json).schemas as Json)[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return resolveRefs(target);
  }
  return Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, resolveRefs(v)]));
}

/** Checks one real answer against the document; returns the body for further checks. */
async function conforms(path: string, method: 'get' | 'post', res: Response): Promise<Json> {
  const op = ((doc.paths as Json)[path] as Json | undefined)?.[method] as Json | undefined;
  expect(op, `${method} ${path} in the document`).toBeDefined();
  const response = (op?.responses as Json)[String(res.status)] as Json | undefined;
  expect(response, `status ${res.status} of ${method} ${path} in the document`).toBeDefined();
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const schema = resolveRefs(((response?.content as Json)['application/json'] as Json).schema) as Json;
  const body = (await res.json()) as Json;
  const check = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(body);
  expect(check.success, `${res.status} body ${JSON.stringify(body)} vs schema: ${check.error?.message}`).toBe(true);
  return body;
}

const DETECT = '/api/v1/stations/{station}/detect';
const MODEL = '/api/v1/stations/{station}/model';

describe('OpenAPI 3.1 document', () => {
  it('is OpenAPI 3.1 with both operations and the three auth schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths as Json).sort()).toEqual([DETECT, MODEL]);
    expect(Object.keys((doc.components as Json).securitySchemes as Json).sort()).toEqual(['apiKey', 'bearer', 'telegramInitData']);
  });

  it('describes every answer of detect: 200 and each 4xx/5xx', async () => {
    const post = (init: { station?: string; key?: string | null; type?: string; query?: string; body?: BodyInit }) =>
      fetch(`${w.baseUrl}/api/v1/stations/${init.station ?? 'A01'}/detect${init.query ?? ''}`, {
        method: 'POST',
        headers: { ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? w.keyA}` }), ...(init.type === '' ? {} : { 'content-type': init.type ?? 'image/jpeg' }) },
        body: init.body ?? new Uint8Array(black),
      });
    const ok = await conforms(DETECT, 'post', await post({ query: '?threshold=0.05' }));
    expect((ok.detections as unknown[]).length).toBeGreaterThan(0);
    const huge = await sharp({ create: { width: 2500, height: 2000, channels: 3, background: '#000' } }).png().toBuffer();
    const form = new FormData();
    form.append('x', 'y');
    const seen = new Set<string>();
    for (const res of [
      await post({ key: null }),
      await post({ key: w.keyB }),
      await post({ station: 'Z99' }),
      await post({ station: 'B02', key: w.keyB }),
      await post({ query: '?max=1000' }),
      await post({ type: 'text/plain' }),
      await post({ body: new Uint8Array(Buffer.from('not an image')) }),
      await post({ type: '', body: form }),
      await post({ body: new Uint8Array(500_000) }),
      await post({ type: 'image/png', body: new Uint8Array(huge) }),
      await fetch(`${w.baseUrl}/api/v1/stations/A01/detect`, { headers: { authorization: `Bearer ${w.keyA}` } }),
      // The Mini App's credential: forged initData, and valid initData of B02's user on A01.
      await fetch(`${w.baseUrl}/api/v1/stations/A01/detect`, { method: 'POST', headers: { 'x-telegram-init-data': signedInitData('0:forged', w.userA), 'content-type': 'image/jpeg' }, body: new Uint8Array(black) }),
      await fetch(`${w.baseUrl}/api/v1/stations/A01/detect`, { method: 'POST', headers: { 'x-telegram-init-data': signedInitData(TEST_TOKEN, w.userB), 'content-type': 'image/jpeg' }, body: new Uint8Array(black) }),
    ]) {
      const status = res.status;
      const body = await conforms(DETECT, 'post', res);
      seen.add(`${status} ${String(body.error)}`);
    }
    const run = w.deploy('A01', FIXTURE_MODEL);
    rmSync(runModelPath(w.dataDir, 'A01', run));
    const gone = await conforms(DETECT, 'post', await post({}));
    seen.add(`503 ${String(gone.error)}`);
    expect([...seen].sort()).toEqual([
      '400 bad-image',
      '400 bad-query',
      '400 no-image',
      '401 bad-init-data',
      '401 bad-key',
      '401 missing-key',
      '403 not-your-station',
      '404 unknown-station',
      '405 method-not-allowed',
      '409 no-deployed-model',
      '413 body-too-large',
      '415 unsupported-media-type',
      '422 too-many-pixels',
      '503 model-unavailable',
    ]);
  });

  it('describes every answer of model info', async () => {
    const get = (station: string, key: string | null) =>
      fetch(`${w.baseUrl}/api/v1/stations/${station}/model`, { headers: key ? { 'x-api-key': key } : {} });
    const none = await conforms(MODEL, 'get', await get('B02', w.keyB));
    expect(none.error).toBe('no-deployed-model');
    w.deploy('B02', FIXTURE_MODEL);
    const info = await conforms(MODEL, 'get', await get('B02', w.keyB));
    expect(info.run).toBe('B02-r1');
    // A run without recorded metrics still answers (metrics: null).
    w.deploy('B02', FIXTURE_MODEL, {});
    const bare = await conforms(MODEL, 'get', await get('B02', w.keyB));
    expect(bare.metrics).toMatchObject({ map50: null, perClass: [] });
    for (const [station, key] of [['B02', null], ['B02', w.keyA], ['Q1', w.keyA]] as const) await conforms(MODEL, 'get', await get(station, key));
  });

  it('a schema check that cannot fail is no check: a wrong body is refused', () => {
    const schema = resolveRefs(((doc.components as Json).schemas as Json).DetectResponse) as Parameters<typeof z.fromJSONSchema>[0];
    const v = z.fromJSONSchema(schema);
    expect(v.safeParse({ run: 'A01-r1' }).success).toBe(false);
    const err = resolveRefs(((doc.components as Json).schemas as Json).Error) as Parameters<typeof z.fromJSONSchema>[0];
    expect(z.fromJSONSchema(err).safeParse({ error: 'made-up', message: { zh: 'x', en: 'x' } }).success).toBe(false);
  });
});
