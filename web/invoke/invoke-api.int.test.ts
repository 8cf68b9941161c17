import { request } from 'node:http';
import { renameSync, copyFileSync, rmSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModelPath } from '../../store/index.js';
import { FIXTURE_MODEL, FIXTURE_MODEL_ALT, RUN_METRICS, solidJpeg, startInvokeWorld, type InvokeWorld } from './test-fixtures/world.js';
import type { DetectResponse } from './index.js';
import { TEST_TOKEN } from '../../test/harness.js';
import { signedInitData } from '../editor/test-fixtures/seed.js';

let w: InvokeWorld;
let black: Buffer;

beforeAll(async () => {
  w = await startInvokeWorld();
  black = await solidJpeg(640, 480);
});
afterAll(async () => w?.close());

const url = (path: string): string => `${w.baseUrl}${path}`;
const detectUrl = (station = 'A01', query = ''): string => url(`/api/v1/stations/${station}/detect${query}`);

async function detect(body: Buffer, opts: { key?: string; type?: string; query?: string; station?: string; header?: 'bearer' | 'x-api-key' } = {}) {
  const headers: Record<string, string> = { 'content-type': opts.type ?? 'image/jpeg' };
  const key = opts.key === undefined ? w.keyA : opts.key;
  if (key) headers[opts.header === 'x-api-key' ? 'x-api-key' : 'authorization'] = opts.header === 'x-api-key' ? key : `Bearer ${key}`;
  const res = await fetch(detectUrl(opts.station, opts.query), { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/**
 * Starts an upload with `Expect: 100-continue` and resolves once the server has taken
 * its head (and so resolved the deployed model); `finish` sends the body.
 */
function startUpload(body: Buffer): Promise<{ finish: () => Promise<{ status: number; json: Record<string, unknown> }> }> {
  return new Promise((started, failed) => {
    const req = request(detectUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${w.keyA}`, 'content-type': 'image/jpeg', 'content-length': body.length, expect: '100-continue' },
    });
    const answer = new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
    });
    req.on('error', failed);
    req.on('continue', () =>
      started({
        finish: () => {
          req.end(body);
          return answer;
        },
      }),
    );
    req.flushHeaders();
  });
}

/**
 * The fixture's box 0 (0.10…0.40 × 0.10…0.50 of the image, score 0.9) as the service answers
 * it: voted with box 1 (+0.01, score 0.8), score² weighted (core/prelabel.ts), to 0.1 px.
 */
function box0(w: number, h: number) {
  const vote = (a: number, b: number) => (0.81 * a + 0.64 * b) / 1.45;
  const r = (v: number) => Math.round(v * 10) / 10;
  return { x1: r(vote(0.1, 0.11) * w), y1: r(vote(0.1, 0.11) * h), x2: r(vote(0.4, 0.41) * w), y2: r(vote(0.5, 0.51) * h) };
}

describe('POST /api/v1/stations/{station}/detect', () => {
  it('answers the deployed run, boxes in pixels, class names, timings', async () => {
    const r = await detect(black);
    expect(r.status).toBe(200);
    const a = r.json as unknown as DetectResponse;
    expect(a.run).toBe('A01-r1');
    expect(a.model.file).toBe('models/A01-r1.onnx');
    expect(a.image).toEqual({ width: 640, height: 480 });
    expect(a.threshold).toBe(0.3);
    expect(a.inferenceMs).toBeGreaterThan(0);
    expect(a.totalMs).toBeGreaterThanOrEqual(a.inferenceMs);
    // The fixture's boxes 0, 2 and 4 score ≥ 0.3; box 1 overlaps box 0 (NMS, then it votes on box 0's edges); 3 scores 0.2; 5 and 6 read black pixels.
    expect(a.detections.map((d) => [d.classId, d.score])).toEqual([[0, 0.9], [2, 0.7], [0, 0.6]]);
    expect(a.detections[0]).toEqual({ box: box0(640, 480), classId: 0, key: 'gauge_normal', zh: '指针仪表-正常', en: 'Pointer gauge (normal)', score: 0.9 });
    // Box 4 reaches past the image: clamped to it.
    expect(a.detections[2]?.box).toEqual({ x1: 544, y1: 336, x2: 640, y2: 480 });
    // The call's latency is kept for the stage-two report.
    const kept = w.store.invocations.latency('A01', 'A01-r1');
    expect(kept?.count).toBe(1);
    expect(kept?.p50TotalMs).toBe(a.totalMs);
  });

  it('gives boxes in the upright image of an EXIF-rotated JPEG', async () => {
    const rotated = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const r = await detect(rotated);
    expect(r.status).toBe(200);
    const a = r.json as unknown as DetectResponse;
    expect(a.image).toEqual({ width: 480, height: 640 });
    expect(a.detections[0]?.box).toEqual(box0(480, 640));
  });

  it('gives boxes in full-resolution pixels of a photo larger than the decode size', async () => {
    const big = await solidJpeg(2000, 1500);
    const a = (await detect(big)).json as unknown as DetectResponse;
    expect(a.image).toEqual({ width: 2000, height: 1500 });
    expect(a.detections[0]?.box).toEqual(box0(2000, 1500));
  });

  it('takes multipart uploads, X-API-Key, threshold and max', async () => {
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('image', new Blob([new Uint8Array(black)], { type: 'image/jpeg' }), 'rig.jpg');
    const res = await fetch(detectUrl('a01', '?threshold=0.05&max=300'), { method: 'POST', headers: { 'x-api-key': w.keyA }, body: form });
    expect(res.status).toBe(200);
    const a = (await res.json()) as DetectResponse;
    expect(a.threshold).toBe(0.05);
    expect(a.detections.map((d) => d.score)).toEqual([0.9, 0.7, 0.6, 0.2]);
    const capped = await detect(black, { header: 'x-api-key', query: '?max=2' });
    expect((capped.json as unknown as DetectResponse).detections).toHaveLength(2);
  });

  it('answers each refusal with its code, status and both languages', async () => {
    const cases: Array<[Promise<{ status: number; json: Record<string, unknown> }>, number, string]> = [
      [detect(black, { key: '' }), 401, 'missing-key'],
      [detect(black, { key: w.keyB }), 401, 'bad-key'],
      [detect(black, { key: `${w.keyA.slice(0, -2)}xx` }), 401, 'bad-key'],
      [detect(black, { station: 'Z99' }), 404, 'unknown-station'],
      [detect(black, { station: '..%2F..' }), 404, 'unknown-station'],
      [detect(black, { station: 'B02', key: w.keyB }), 409, 'no-deployed-model'],
      [detect(black, { query: '?threshold=2' }), 400, 'bad-query'],
      [detect(black, { query: '?max=0' }), 400, 'bad-query'],
      [detect(black, { query: '?max=1.5' }), 400, 'bad-query'],
      [detect(black, { type: 'text/plain' }), 415, 'unsupported-media-type'],
      [detect(Buffer.from('this is not a picture at all')), 400, 'bad-image'],
      [detect(black.subarray(0, 900)), 400, 'bad-image'],
      [detect(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;')), 400, 'bad-image'],
      [detect(Buffer.alloc(0)), 400, 'bad-image'],
      [detect(Buffer.alloc(500_000, 1)), 413, 'body-too-large'],
    ];
    for (const [pending, status, code] of cases) {
      const r = await pending;
      expect({ code: r.json.error, status: r.status }).toEqual({ code, status });
      const message = r.json.message as { zh: string; en: string };
      expect(message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(message.en).toMatch(/[a-z]/);
    }
    const missing = await detect(black, { key: '' });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const tooBig = await detect(Buffer.alloc(500_000, 1));
    expect((tooBig.json.message as { en: string }).en).toContain('0.4 MB');
  });

  it('refuses an image over the pixel limit from its header, and multipart without a file', async () => {
    const huge = await sharp({ create: { width: 2500, height: 2000, channels: 3, background: '#000' } }).png().toBuffer();
    expect(huge.length).toBeLessThan(400_000);
    const r = await detect(huge, { type: 'image/png' });
    expect([r.status, r.json.error]).toEqual([422, 'too-many-pixels']);
    const form = new FormData();
    form.append('note', 'no file here');
    const res = await fetch(detectUrl(), { method: 'POST', headers: { authorization: `Bearer ${w.keyA}` }, body: form });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, 'no-image']);
    const get = await fetch(detectUrl(), { headers: { authorization: `Bearer ${w.keyA}` } });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('lets a page of any origin call it (CORS preflight and header)', async () => {
    const pre = await fetch(detectUrl(), { method: 'OPTIONS', headers: { origin: 'http://elsewhere.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const r = await detect(black);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stops reading a chunked body past the limit and answers 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const result = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      let written = 0;
      let isAnswered = false;
      const req = request(detectUrl(), { method: 'POST', headers: { authorization: `Bearer ${w.keyA}`, 'content-type': 'image/jpeg' } }, (res) => {
        isAnswered = true;
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, written }));
      });
      req.on('error', (err) => (isAnswered ? undefined : reject(err)));
      const pump = (): void => {
        while (!isAnswered && written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'body-too-large' });
    // The server stopped reading at 0.4 MB: the client could not push the whole 256 MB.
    expect(result.written).toBeLessThan(128 * 1024 * 1024);
  });
});

describe('Telegram Mini App access (initData instead of the key)', () => {
  const asUser = (initData: string, station = 'A01', path = 'detect') =>
    fetch(url(`/api/v1/stations/${station}/${path}`), {
      method: path === 'detect' ? 'POST' : 'GET',
      headers: { 'x-telegram-init-data': initData, ...(path === 'detect' ? { 'content-type': 'image/jpeg' } : {}) },
      ...(path === 'detect' ? { body: new Uint8Array(black) } : {}),
    });

  it("detects for the user's own station, and never for another station", async () => {
    const own = await asUser(signedInitData(TEST_TOKEN, w.userA));
    expect(own.status).toBe(200);
    expect(((await own.json()) as DetectResponse).run).toMatch(/^A01-r\d+$/);
    const info = await asUser(signedInitData(TEST_TOKEN, w.userA), 'A01', 'model');
    expect(info.status).toBe(200);
    // Also as `Authorization: tma <initData>`, Telegram's documented form.
    const tma = await fetch(url('/api/v1/stations/A01/detect'), { method: 'POST', headers: { authorization: `tma ${signedInitData(TEST_TOKEN, w.userA)}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(black) });
    expect(tma.status).toBe(200);

    // B02's user on A01, and A01's user on B02: refused, whatever the station holds.
    for (const [user, station] of [[w.userB, 'A01'], [w.userA, 'B02']] as const) {
      const res = await asUser(signedInitData(TEST_TOKEN, user), station);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'not-your-station', message: { en: expect.stringContaining('your own station') } });
    }
    // A user who is no longer bound loses access at once.
    w.store.users.upsert({ userId: 7199, chatId: 7199, lang: 'en' });
    expect((await asUser(signedInitData(TEST_TOKEN, 7199))).status).toBe(403);
  });

  it('refuses forged, stale or malformed initData with 401 bad-init-data', async () => {
    const stale = signedInitData(TEST_TOKEN, w.userA, { authDate: Math.floor(Date.now() / 1000) - 2 * 3600 });
    const forged = signedInitData('999:another-bot-token', w.userA);
    const tampered = signedInitData(TEST_TOKEN, w.userA).replace(String(w.userA), String(w.userB));
    for (const initData of [stale, forged, tampered, 'user=1&hash=abc']) {
      const res = await asUser(initData);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('bad-init-data');
    }
    // A key, when sent, decides: a wrong key is not rescued by valid initData.
    const both = await fetch(url('/api/v1/stations/A01/detect'), {
      method: 'POST',
      headers: { authorization: `Bearer ${w.keyB}`, 'x-telegram-init-data': signedInitData(TEST_TOKEN, w.userA), 'content-type': 'image/jpeg' },
      body: new Uint8Array(black),
    });
    expect(both.status).toBe(401);
    expect(((await both.json()) as { error: string }).error).toBe('bad-key');
  });
});

describe('GET /api/v1/stations/{station}/model', () => {
  it('lists the deployed run, its metrics and per-class AP with names', async () => {
    const res = await fetch(url('/api/v1/stations/A01/model'), { headers: { authorization: `Bearer ${w.keyA}` } });
    expect(res.status).toBe(200);
    const m = (await res.json()) as { run: string; metrics: { map50: number; perClass: Array<{ key: string; ap50: number }> } };
    expect(m.run).toBe('A01-r1');
    expect(m.metrics.map50).toBe(RUN_METRICS.map50);
    expect(m.metrics.perClass.map((c) => [c.key, c.ap50])).toEqual([['gauge_normal', 0.9], ['gauge_abnormal', 0.7], ['digital', 0.8375]]);
    const denied = await fetch(url('/api/v1/stations/A01/model'), { headers: { authorization: `Bearer ${w.keyB}` } });
    expect(denied.status).toBe(401);
  });
});

describe('redeploys', () => {
  it('a redeploy to another run fails no request in flight; later requests use the new run', async () => {
    // Each request's head has been handled (its model resolved) when the server sends 100 Continue.
    const inFlight = await Promise.all(Array.from({ length: 12 }, () => startUpload(black)));
    const r2 = w.deploy('A01', FIXTURE_MODEL_ALT);
    const answers = await Promise.all(inFlight.map((u) => u.finish()));
    expect(answers.map((a) => [a.status, a.json.run])).toEqual(answers.map(() => [200, 'A01-r1']));
    for (const a of answers) expect((a.json as unknown as DetectResponse).detections).toHaveLength(3);
    const after = (await detect(black)).json as unknown as DetectResponse;
    expect(after.run).toBe(r2);
    expect(after.detections).toEqual([expect.objectContaining({ classId: 2, score: 0.95, box: { x1: 160, y1: 120, x2: 480, y2: 360 } })]);
  });

  it('replacing the deployed model file fails no request in flight; later requests use the new file', async () => {
    const run = w.deploy('A01', FIXTURE_MODEL);
    const file = runModelPath(w.dataDir, 'A01', run);
    expect(((await detect(black)).json as unknown as DetectResponse).detections).toHaveLength(3);
    const inFlight = Array.from({ length: 24 }, () => detect(black));
    await new Promise((r) => setImmediate(r));
    copyFileSync(FIXTURE_MODEL_ALT, `${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const after = (await detect(black)).json as unknown as DetectResponse;
    expect(after.detections).toHaveLength(1);
  });

  it('a deployed run whose model file is gone answers 503 model-unavailable and logs it', async () => {
    const run = w.deploy('A01', FIXTURE_MODEL);
    rmSync(runModelPath(w.dataDir, 'A01', run));
    const r = await detect(black);
    expect([r.status, r.json.error]).toEqual([503, 'model-unavailable']);
    expect(w.logLines.join('')).toContain('deployed model unavailable');
  });
});
