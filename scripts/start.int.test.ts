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

  type PageMessage = { text?: string; from?: { is_bot?: boolean } };

  /** Starts `npm start`'s launcher and returns the chat page's URL. */
  async function launch(env: Record<string, string | undefined>): Promise<{ chatUrl: string; webUrl: string }> {
    out = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stderr?.on('data', (d) => (out += String(d)));
    await until(() => /Chat \(local Telegram\):\s+(\S+)/.test(out), 30_000, 'the launcher banner');
    return {
      chatUrl: /Chat \(local Telegram\):\s+(\S+)/.exec(out)?.[1] ?? '',
      webUrl: /Web \(invocation service, editor\): (\S+)/.exec(out)?.[1] ?? '',
    };
  }

  async function stop(): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
    });
  }

  /** A browser on the chat page: its session cookie opens user 777's chat. */
  async function pageSession(chatUrl: string, cookie?: string) {
    const page = await fetch(chatUrl, cookie ? { headers: { cookie } } : {});
    expect(page.status).toBe(200);
    const session = cookie ?? (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const origin = new URL(chatUrl).origin;
    const api = new URL('/chat/api/', chatUrl);
    const post = (path: string, body: unknown) =>
      fetch(new URL(path, api), { method: 'POST', headers: { cookie: session, origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('session', { user: { id: 777, name: 'Page User', lang: 'en' } })).status).toBe(200);
    const messages = async (): Promise<PageMessage[]> => {
      const r = await fetch(new URL('updates?since=-1', api), { headers: { cookie: session } });
      return ((await r.json()) as { messages: PageMessage[] }).messages;
    };
    const botName = async (): Promise<string> => {
      const r = await fetch(new URL('updates?since=-1', api), { headers: { cookie: session } });
      return ((await r.json()) as { bot: { first_name: string } }).bot.first_name;
    };
    return { session, messages, botName, send: (text: string) => post('send', { text }) };
  }

  it('runs the product offline; after a restart the chat page shows the old conversation and the bot answers at once', async () => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: data.dir, EMULATOR_PORT: String(await freePort()), WEB_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    delete env.REDIS_URL;
    delete env.TELEGRAM_BOT_TOKEN;
    const { chatUrl, webUrl } = await launch(env);
    await until(async () => (await fetch(`${webUrl}/healthz`).catch(() => undefined))?.ok === true, 90_000, 'web health');

    const page = await pageSession(chatUrl);
    // Issue 11: the chat page shows the product's name, not the emulator's default.
    expect(await page.botName()).toBe('Trainer Copilot · 训练师副驾');
    await page.send('/start');
    const answered = (ms: PageMessage[]) => ms.filter((m) => m.from?.is_bot && (m.text ?? '').includes('station number')).length;
    await until(async () => answered(await page.messages()) === 1, 60_000, 'the bot to answer /start');
    expect(out).not.toMatch(/local[0-9a-f]{36}/);

    // Issue 10 point 1: `npm start` again with the same DATA_DIR. The emulator's update ids
    // start again at 1; the bot must not take them for updates it already handled.
    await stop();
    const again = await launch(env);
    const back = await pageSession(again.chatUrl, page.session);
    expect(answered(await back.messages())).toBe(1);
    await back.send('/start');
    await until(async () => answered(await back.messages()) === 2, 60_000, 'the restarted bot to answer /start');
  }, 300_000);
});
