import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator.js';
import { PNG_5X4 } from './test-images.js';

/** Issue 10 point 4: the chat page's API serves only its own browser, from its own origin and host. */
const TOKEN = '77:security-test';
let emu: Emulator;
let origin: string;

/** Loads the page as a browser would and returns its session cookie. */
async function openPage(): Promise<string> {
  const res = await fetch(emu.chatUrl);
  const setCookie = res.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  return setCookie.split(';')[0] ?? '';
}

function post(path: string, cookie: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}/chat/api/${path}`, { method: 'POST', headers: { cookie, origin, ...headers }, body });
}

const json = (v: unknown): BodyInit => JSON.stringify(v);
const jsonHeaders = { 'content-type': 'application/json' };

/** A raw request with a Host header of our choosing (fetch does not let us set one). */
function rawGet(path: string, host: string): Promise<number> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    request({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN });
  origin = new URL(emu.chatUrl).origin;
});

afterAll(async () => {
  await emu.close();
});

describe('chat page API security', () => {
  it("refuses another user's updates without that user's session", async () => {
    const victim = await openPage();
    expect((await post('session', victim, json({ user: { id: 500, name: 'Victim' } }), jsonHeaders)).status).toBe(200);
    expect((await post('send', victim, json({ text: 'secret link' }), jsonHeaders)).status).toBe(200);
    const own = await fetch(`${origin}/chat/api/updates?since=-2`, { headers: { cookie: victim } });
    expect(JSON.stringify(await own.json())).toContain('secret link');

    const noCookie = await fetch(`${origin}/chat/api/updates?id=500&since=-2`);
    expect(noCookie.status).toBe(401);
    expect(await noCookie.text()).not.toContain('secret link');

    const attacker = await openPage();
    expect((await post('session', attacker, json({ user: { id: 500 } }), jsonHeaders)).status).toBe(403);
    expect((await post('session', attacker, json({ user: { id: 501 } }), jsonHeaders)).status).toBe(200);
    const theirs = await fetch(`${origin}/chat/api/updates?id=500&since=-2`, { headers: { cookie: attacker } });
    expect(await theirs.text()).not.toContain('secret link');
  });

  it('refuses a cross-site multipart upload, even with the victim cookie', async () => {
    const victim = await openPage();
    await post('session', victim, json({ user: { id: 600 } }), jsonHeaders);
    const form = new FormData();
    form.append('file0', new Blob([PNG_5X4], { type: 'image/png' }), 'x.png');
    const res = await post('upload', victim, form, { origin: 'http://127.0.0.1:1' });
    expect(res.status).toBe(403);
    const noOrigin = await fetch(`${origin}/chat/api/upload`, { method: 'POST', headers: { cookie: victim }, body: form });
    expect(noOrigin.status).toBe(403);
    expect(emu.user(600).messages()).toEqual([]);
  });

  it('answers only under its own host (DNS rebinding)', async () => {
    const port = new URL(origin).port;
    expect(await rawGet('/chat', `evil.example:${port}`)).toBe(421);
    expect(await rawGet('/chat/api/updates?id=500', `evil.example:${port}`)).toBe(421);
    expect(await rawGet('/chat', `127.0.0.1:${Number(port) + 1}`)).toBe(421);
    expect(await rawGet('/chat', `localhost:${port}`)).toBe(200);
    expect(await rawGet('/chat', `127.0.0.1:${port}`)).toBe(200);
  });

  it('serves uploaded files as sandboxed, nosniff attachments to their own chat only', async () => {
    const owner = await openPage();
    await post('session', owner, json({ user: { id: 700 } }), jsonHeaders);
    const form = new FormData();
    form.append('file0', new Blob(['<script>alert(1)</script>'], { type: 'text/html' }), 'x.html');
    form.append('as', 'document');
    expect((await post('upload', owner, form)).status).toBe(200);
    const fileId = emu.user(700).messages()[0]?.document?.file_id ?? '';
    const res = await fetch(`${origin}/chat/api/file/${encodeURIComponent(fileId)}`, { headers: { cookie: owner } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    const other = await openPage();
    await post('session', other, json({ user: { id: 701 } }), jsonHeaders);
    expect((await fetch(`${origin}/chat/api/file/${encodeURIComponent(fileId)}`, { headers: { cookie: other } })).status).toBe(404);
  });
});
