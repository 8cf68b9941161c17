import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../../test/harness.js';
import { classPalette, editorUrl, signEditorLink, type EditorLinkClaims } from '../../core/index.js';
import { LINK_SECRET, PROPOSAL, signedInitData, startEditorWorld, type EditorWorld } from './test-fixtures/seed.js';

let w: EditorWorld;
beforeAll(async () => {
  w = await startEditorWorld();
});
afterAll(async () => {
  await w?.close();
});

const link = (over: Partial<EditorLinkClaims> = {}): string =>
  signEditorLink({ secret: LINK_SECRET, stationNo: 'A01', photoId: w.photoId, userId: w.userA, expiresAt: Date.now() + 60_000, ...over });
const api = (name: string, token: string, init?: RequestInit) => fetch(`${w.baseUrl}/editor/api/${name}?t=${encodeURIComponent(token)}`, init);
const tgApi = (name: string, initData: string, query = '', init: RequestInit = {}) =>
  fetch(`${w.baseUrl}/editor/api/${name}?${query}`, { ...init, headers: { 'x-telegram-init-data': initData, ...init.headers } });
const post = (token: string, body: unknown) =>
  api('save', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('editor access', () => {
  it('serves the page and the photo for a good link', async () => {
    const page = await fetch(editorUrl(w.baseUrl, link()));
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('editor/static/editor-app.js');
    const res = await api('photo', link());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      photoId: w.photoId, stationNo: 'A01', width: 640, height: 480, lang: 'zh', boxes: [PROPOSAL],
      classes: [{ id: 0, key: 'gauge_normal', zh: '指针仪表-正常' }, { id: 1 }, { id: 2, en: 'Digital meter' }],
    });
    // The chat preview's colours (one table, core/class-palette), not a list of the editor's own.
    const body = (await (await api('photo', link())).json()) as { classes: Array<{ color: string }> };
    expect(body.classes.map((c) => c.color)).toEqual(classPalette(3));
    const img = await api('image', link());
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await img.arrayBuffer()).slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('serves Annotorious from node_modules, ready for a browser, and nothing outside the fixed file list', async () => {
    const lib = await fetch(`${w.baseUrl}/editor/static/annotorious.js`);
    expect(lib.status).toBe(200);
    expect(lib.headers.get('content-type')).toContain('javascript');
    const text = await lib.text();
    expect(text).toContain('createImageAnnotator');
    expect(text).not.toContain('process.env');
    const css = await fetch(`${w.baseUrl}/editor/static/annotorious.css`);
    expect(await css.text()).toContain('.a9s-annotationlayer');
    for (const name of ['package.json', '..%2F..%2Fpackage.json', 'hasOwnProperty', 'editor-model.js']) {
      expect((await fetch(`${w.baseUrl}/editor/static/${name}`)).status).toBe(404);
    }
  });

  it('answers forged, expired and other-photo links with a 403 page in Chinese and English', async () => {
    const good = link();
    const forged = `${good.slice(0, -3)}${good.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const [url, zh, en] of [
      [editorUrl(w.baseUrl, forged), '链接无效', 'This link is invalid'],
      [editorUrl(w.baseUrl, link({ expiresAt: Date.now() - 1 })), '链接已过期', 'This link has expired'],
      [`${editorUrl(w.baseUrl, good)}&photo=${w.strayPhotoId}`, '不属于这张照片', 'for a different photo'],
    ] as const) {
      const res = await fetch(url);
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain(zh);
      expect(html).toContain(en);
    }
    expect((await api('photo', forged)).status).toBe(403);
    expect(await (await api('image', forged)).json()).toMatchObject({ error: 'forged' });
  });

  it('refuses a link for a user who is not bound to the station, and a photo of another station', async () => {
    expect(await (await api('photo', link({ userId: w.userB }))).json()).toMatchObject({ error: 'not-bound' });
    expect(await (await api('photo', link({ stationNo: 'B02', userId: w.userB }))).json()).toMatchObject({ error: 'no-photo' });
  });

  it('accepts Mini App initData of a bound user and refuses another station, stale and forged data', async () => {
    const good = signedInitData(TEST_TOKEN, w.userA, { startParam: `p${w.photoId}` });
    const ok = await tgApi('photo', good);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ photoId: w.photoId, boxes: [PROPOSAL] });
    const viaQuery = await tgApi('photo', signedInitData(TEST_TOKEN, w.userA), `photo=${w.photoId}&lang=en`);
    expect(await viaQuery.json()).toMatchObject({ photoId: w.photoId, lang: 'en' });

    const other = await tgApi('photo', signedInitData(TEST_TOKEN, w.userB), `photo=${w.photoId}`);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: 'not-bound', message: { zh: expect.any(String), en: expect.any(String) } });
    const stale = signedInitData(TEST_TOKEN, w.userA, { authDate: Math.floor(Date.now() / 1000) - 2 * 3600 });
    expect(await (await tgApi('photo', stale, `photo=${w.photoId}`)).json()).toMatchObject({ error: 'stale' });
    const forged = signedInitData('111:OTHER-cccccccccccccccccccccccccccc', w.userA);
    expect(await (await tgApi('photo', forged, `photo=${w.photoId}`)).json()).toMatchObject({ error: 'bad-hash' });
    expect((await fetch(`${w.baseUrl}/editor/api/photo?photo=${w.photoId}`)).status).toBe(403);
  });

  it('refuses to serve an image file outside DATA_DIR', async () => {
    const res = await api('image', link({ photoId: w.strayPhotoId }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'no-image' });
    expect(w.logLines.join('')).toContain('editor: image refused');
  });
});

describe('editor save', () => {
  it('refuses bad input with a bilingual 400 and keeps the label unchanged', async () => {
    const before = w.env.store.labels.latest(w.photoId)?.version;
    const cases: [unknown, string][] = [
      ['{not json', 'bad-json'],
      [{ boxes: [{ ...PROPOSAL, classId: 9 }] }, 'bad-class'],
      [{ boxes: [{ ...PROPOSAL, x2: 50 }] }, 'bad-order'],
      ['{"boxes":[{"classId":0,"x1":1,"y1":1,"x2":1e999,"y2":9}]}', 'bad-box'],
      [{ boxes: Array(51).fill(PROPOSAL) }, 'too-many-boxes'],
      [{ boxes: [{ ...PROPOSAL, x1: 900, x2: 950 }] }, 'outside-image'],
    ];
    for (const [body, code] of cases) {
      const res = await post(link(), body);
      expect(res.status, code).toBe(400);
      const json = (await res.json()) as { error: string; message: { zh: string; en: string } };
      expect(json.error).toBe(code);
      expect(json.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(json.message.en).toMatch(/[a-z]/);
    }
    // Only JSON: a cross-site form post (text/plain, urlencoded or multipart needs no CORS preflight) is refused.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const res = await api('save', link(), { method: 'POST', ...(type ? { headers: { 'content-type': type } } : {}), body: JSON.stringify({ boxes: [PROPOSAL] }) });
      expect(res.status, String(type)).toBe(415);
      expect(await res.json()).toMatchObject({ error: 'not-json', message: { en: expect.stringContaining('application/json') } });
    }
    const big = await post(link(), { boxes: [PROPOSAL], pad: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect((await api('save', link())).status).toBe(405);
    expect(w.env.store.labels.latest(w.photoId)?.version).toBe(before);
    expect(w.saved).toEqual([]);
  });

  it('refuses a rejected photo', async () => {
    const token = link({ photoId: w.strayPhotoId });
    w.env.store.photos.remove(w.strayPhotoId);
    const res = await post(token, { boxes: [PROPOSAL] });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'not-accepted' });
  });

  it('saves through Mini App initData as a confirmed human label and reports it', async () => {
    const initData = signedInitData(TEST_TOKEN, w.userA);
    const boxes = [{ classId: 2, x1: 430.4, y1: 310, x2: 570, y2: 420 }];
    const res = await tgApi('save', initData, `photo=${w.photoId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ boxes }) });
    expect(res.status).toBe(200);
    const { version } = (await res.json()) as { version: number };
    const label = w.env.store.labels.get(w.photoId, version);
    expect(label).toMatchObject({ kind: 'label', author: w.userA, boxes: [{ ...boxes[0], source: 'human' }] });
    expect(w.env.store.photos.get(w.photoId)).toMatchObject({ status: 'confirmed', labelVersion: version });
    await expect.poll(() => w.saved).toEqual([{ stationNo: 'A01', photoId: w.photoId, version, userId: w.userA }]);
    expect(await (await api('photo', link())).json()).toMatchObject({ boxes, version });
  });
});
