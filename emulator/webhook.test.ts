import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator.js';

/** The emulator's webhook delivery: posts with the secret, retries until a 2xx, getUpdates refused meanwhile. */

const TOKEN = '123456:TEST-token_abc';
let emu: Emulator | undefined;
let hook: Server | undefined;

afterEach(async () => {
  await emu?.close();
  if (hook) await new Promise<void>((r) => (hook!.closeAllConnections(), hook!.close(() => r())));
  emu = hook = undefined;
});

async function call(method: string, body: unknown = {}): Promise<{ status: number; body: { ok: boolean; result?: unknown; description?: string } }> {
  const res = await fetch(`${emu!.apiRoot}/bot${TOKEN}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; description?: string } };
}

/** A webhook receiver that answers `statuses` in turn (then 200) and keeps what it was sent. */
async function receiver(statuses: number[]): Promise<{ url: string; posts: Array<{ secret: string | undefined; update: { update_id: number; message?: { text?: string } } }> }> {
  const posts: Array<{ secret: string | undefined; update: { update_id: number; message?: { text?: string } } }> = [];
  hook = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      posts.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, update: JSON.parse(body) as never });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, posts };
}

describe('emulator webhook delivery', () => {
  it('posts each update in order with the secret, keeps one refused until a 2xx, and reports the last error', async () => {
    emu = await startEmulator({ token: TOKEN });
    const r = await receiver([500, 502]);
    expect((await call('setWebhook', { url: r.url, secret_token: 'sek-ret_1' })).body.ok).toBe(true);
    const u = emu.user(42);
    await u.sendText('one');
    await u.sendText('two');
    await expect.poll(() => r.posts.length, { timeout: 10_000 }).toBe(4);
    await expect.poll(() => emu!.pendingUpdateCount).toBe(0);
    expect(r.posts.map((p) => p.update.message?.text)).toEqual(['one', 'one', 'one', 'two']);
    expect(new Set(r.posts.map((p) => p.secret))).toEqual(new Set(['sek-ret_1']));
    const info = (await call('getWebhookInfo')).body.result as { url: string; pending_update_count: number; last_error_message?: string };
    expect(info).toMatchObject({ url: r.url, pending_update_count: 0 });
    expect(info.last_error_message).toContain('502');
  });

  it('refuses getUpdates while a webhook is set and goes back to it after deleteWebhook', async () => {
    emu = await startEmulator({ token: TOKEN });
    const r = await receiver([503, 503, 503, 503, 503, 503, 503, 503, 503, 503]);
    await call('setWebhook', { url: r.url });
    const refused = await call('getUpdates');
    expect(refused.status).toBe(409);
    expect(refused.body.description).toContain('webhook is active');
    expect((await call('setWebhook', { url: 'ftp://example.org/x' })).status).toBe(400);
    await call('deleteWebhook');
    await emu.user(43).sendText('polled');
    const polled = await call('getUpdates');
    expect((polled.body.result as Array<{ message: { text: string } }>).map((x) => x.message.text)).toEqual(['polled']);
  });
});
