import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_TOKEN, tempDataDir, testPrefix, validId } from '../test/harness.js';
import { killProcess, startProcess } from '../test/processes.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { openStore } from '../store/index.js';

/** The real bot process is killed mid-dialog and after registering; nothing the user gave is lost. */
describe('bot process restart', () => {
  let emu: Emulator;
  const data = tempDataDir();
  let env: Record<string, string>;

  beforeAll(async () => {
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    env = {
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      DATA_DIR: data.dir,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: testPrefix(),
    };
  });

  afterAll(async () => {
    await emu.close();
    data.cleanup();
  });

  it('keeps a half-done registration and a finished one across crashes', async () => {
    const u = emu.user(2001, { languageCode: 'en' });
    let bot = startProcess('bot/main.ts', env);
    await u.sendText('/start');
    expect((await u.nextMessage({ timeoutMs: 30_000 })).text).toContain('station number');
    await u.sendText('B12');
    expect((await u.nextMessage()).text).toContain('B12');
    await killProcess(bot.child);

    bot = startProcess('bot/main.ts', env);
    await u.sendText('Wang Wu');
    expect((await u.nextMessage({ timeoutMs: 30_000 })).text).toContain('ID-card number');
    await u.sendText(validId('44030419920229001'));
    await u.nextMessage();
    await u.press('✅ Confirm');
    await u.waitFor((m) => (m.text ?? '').includes('Registered: station'), { timeoutMs: 10_000 });
    await killProcess(bot.child);

    bot = startProcess('bot/main.ts', env);
    await u.sendText('/start');
    const again = await u.nextMessage({ timeoutMs: 30_000 });
    expect(again.text).toContain('Welcome back, station <b>B12</b>');
    expect(again.text).toContain('4403**********');
    await killProcess(bot.child, 'SIGTERM');
    expect(bot.output()).not.toContain(TEST_TOKEN.split(':')[1]);

    const store = openStore({ dataDir: data.dir });
    expect(store.stations.get('B12')?.contestantName).toBe('Wang Wu');
    store.close();
  });

  it('answers at once against a Bot API server whose update ids start again at 1', async () => {
    // Issue 10 point 1: the store saw ids 1..N; a fresh server reuses them for new updates.
    const ownData = tempDataDir();
    const first = await startEmulator({ token: TEST_TOKEN, port: 0 });
    const envOf = (e: Emulator) => ({ ...env, DATA_DIR: ownData.dir, TELEGRAM_API_ROOT: e.apiRoot });
    let bot = startProcess('bot/main.ts', envOf(first));
    const old = first.user(3001, { languageCode: 'en' });
    await old.sendText('/start');
    await old.nextMessage({ timeoutMs: 30_000 });
    for (let i = 0; i < 5; i++) {
      await old.sendText('/help');
      await old.nextMessage();
    }
    await killProcess(bot.child);
    await first.close();
    const fresh = await startEmulator({ token: TEST_TOKEN, port: 0 });
    try {
      bot = startProcess('bot/main.ts', envOf(fresh));
      const u = fresh.user(3002, { languageCode: 'en' });
      await u.sendText('/start');
      expect((await u.nextMessage({ timeoutMs: 30_000 })).text).toContain('station number');
      expect(bot.output()).not.toContain('skipping an update handled before a restart');
      await killProcess(bot.child, 'SIGTERM');
    } finally {
      await fresh.close();
      ownData.cleanup();
    }
  });
});
