import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../test/harness.js';
import { until } from '../test/processes.js';
import { freePort } from './redis-local.js';

/**
 * `npm start` end to end, offline: the launcher starts its own redis-server, the
 * emulator and the three processes; a person on the chat page registers and sees the
 * plan. Nothing here is configured but a data dir and free ports.
 */
describe('the launcher', () => {
  const data = tempDataDir();
  let out = '';
  let child: ReturnType<typeof spawn> | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((r) => {
        child?.once('exit', () => r());
        child?.kill('SIGTERM');
      });
    }
    data.cleanup();
  });

  it('runs the product offline and a chat-page user gets answers', async () => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: data.dir, EMULATOR_PORT: String(await freePort()), WEB_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    delete env.REDIS_URL;
    delete env.TELEGRAM_BOT_TOKEN;
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stderr?.on('data', (d) => (out += String(d)));
    await until(() => /Chat \(local Telegram\):\s+(\S+)/.test(out), 30_000, 'the launcher banner');
    const chatUrl = /Chat \(local Telegram\):\s+(\S+)/.exec(out)?.[1] ?? '';
    const webUrl = /Web \(invocation service, editor\): (\S+)/.exec(out)?.[1] ?? '';
    expect((await fetch(chatUrl)).status).toBe(200);
    await until(async () => (await fetch(`${webUrl}/healthz`).catch(() => undefined))?.ok === true, 30_000, 'web health');

    const user = { id: 777, name: 'Page User', lang: 'en' };
    const api = new URL('/chat/api/', chatUrl);
    const messages = async () => {
      const r = await fetch(new URL(`updates?id=777&lang=en&since=-1`, api));
      return ((await r.json()) as { messages: Array<{ text?: string; from?: { is_bot?: boolean } }> }).messages;
    };
    await fetch(new URL('send', api), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text: '/start' }) });
    await until(async () => (await messages()).some((m) => m.from?.is_bot && (m.text ?? '').includes('station number')), 60_000, 'the bot to answer /start');
    expect(out).not.toMatch(/local[0-9a-f]{36}/);
  });
});
