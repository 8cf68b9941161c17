import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/index.js';
import { isAdmin } from './ops-routes.js';

const req = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;
const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('isAdmin (the queue dashboard sign-in)', () => {
  it('accepts only admin:<password> as basic auth', () => {
    const pw = 'correct-horse-battery';
    expect(isAdmin(req(basic(`admin:${pw}`)), pw)).toBe(true);
    expect(isAdmin(req(), pw)).toBe(false);
    expect(isAdmin(req(basic(`root:${pw}`)), pw)).toBe(false);
    expect(isAdmin(req(basic(`admin:${pw}x`)), pw)).toBe(false);
    expect(isAdmin(req(basic('admin:')), pw)).toBe(false);
    expect(isAdmin(req(`Bearer ${pw}`), pw)).toBe(false);
    expect(isAdmin(req('Basic !!!'), pw)).toBe(false);
  });
});

describe('operating settings', () => {
  it('names a short admin password, a bad webhook URL and a bad secret; defaults leave webhook mode and the dashboard off', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short', WEBHOOK_URL: 'not a url', WEBHOOK_SECRET: 'has spaces in it, no' })).toThrow(/ADMIN_PASSWORD[\s\S]*WEBHOOK_URL[\s\S]*WEBHOOK_SECRET/);
    const cfg = loadConfig({});
    expect(cfg.WEBHOOK_URL).toBeUndefined();
    expect(cfg.ADMIN_PASSWORD).toBeUndefined();
    expect(cfg.METRICS_PUSH_MS).toBe(15_000);
    expect(loadConfig({ WEBHOOK_URL: 'https://bot.example.org/tg/hook', WEBHOOK_PORT: '9000' })).toMatchObject({ WEBHOOK_URL: 'https://bot.example.org/tg/hook', WEBHOOK_PORT: 9000 });
  });
});
