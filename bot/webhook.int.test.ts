import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createJobQueue, createProcessMetrics, createUpdateClaim, type JobQueue, type UpdateClaim } from '../queue/index.js';
import { openStore } from '../store/index.js';
import { memoryLogger, tempDataDir, TEST_TOKEN, testEnv, testPrefix, validId } from '../test/harness.js';
import { createBot } from './app.js';
import { startWebhook, webhookSecret } from './webhook.js';

/**
 * Webhook mode: bot replicas behind a load balancer, updates posted by the emulator as
 * Telegram posts them, each update handled once across replicas (the Redis claim).
 */

const port = (s: Server) => (s.address() as AddressInfo).port;
const listen = (s: Server) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
const close = (s: Server) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));

/** A round-robin load balancer in front of `targets()` (ports), as nginx would be. */
function balancer(targets: () => number[]): Server {
  let i = 0;
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const list = targets();
      const to = list[i++ % list.length]!;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
      fetch(`http://127.0.0.1:${to}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) })
        .then(async (r) => res.writeHead(r.status).end(Buffer.from(await r.arrayBuffer())))
        .catch(() => res.writeHead(502).end());
    });
  });
}

interface Replica {
  server: Server;
  jobs: JobQueue;
  claim: UpdateClaim | undefined;
  metrics: ReturnType<typeof createProcessMetrics>;
  close(): Promise<void>;
}

/** One bot replica in webhook mode on `dataDir` (its own store handle), claiming updates in Redis under `prefix` when `isShared`. */
async function replica(emu: Emulator, opts: { dataDir: string; prefix: string; hookUrl: string; isShared: boolean; name: string }): Promise<Replica> {
  const env = testEnv({ DATA_DIR: opts.dataDir, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: opts.prefix, TELEGRAM_API_ROOT: emu.apiRoot, WEBHOOK_URL: opts.hookUrl, WEBHOOK_PORT: '0', WEBHOOK_HOST: '127.0.0.1' });
  env.store.close();
  const store = openStore({ dataDir: opts.dataDir }); // testEnv's own store is on a fresh folder
  const { log } = memoryLogger(opts.name);
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: opts.prefix });
  const claim = opts.isShared ? createUpdateClaim({ redisUrl: inject('redisUrl'), prefix: opts.prefix }) : undefined;
  const metrics = createProcessMetrics('bot', opts.name);
  const bot = createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store, jobs, log, now: Date.now, metrics, ...(claim ? { updateClaim: claim } : {}) }, { apiRoot: emu.apiRoot });
  const server = await startWebhook(bot, env.config, TEST_TOKEN, log);
  return {
    server,
    jobs,
    claim,
    metrics,
    async close() {
      await close(server);
      await jobs.close();
      await claim?.close();
      store.close();
      env.cleanup();
    },
  };
}

/** A `/help` update from `userId`, as Telegram would post it. */
function helpUpdate(updateId: number, userId: number): object {
  const user = { id: userId, is_bot: false, first_name: 'Replica', language_code: 'en' };
  return { update_id: updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: 'private', first_name: 'Replica' }, from: user, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } };
}

describe('webhook mode', () => {
  let emu: Emulator;
  const dirs: Array<{ cleanup(): void }> = [];
  beforeAll(async () => void (emu = await startEmulator({ token: TEST_TOKEN, port: 0 })));
  afterAll(async () => {
    await emu.close();
    dirs.forEach((d) => d.cleanup());
  });

  /** Posts the same update to every replica at once; resolves when every post is answered (handled or skipped). */
  async function postToAll(replicas: Replica[], update: object): Promise<number[]> {
    const body = JSON.stringify(update);
    const secret = webhookSecret({ WEBHOOK_SECRET: undefined }, TEST_TOKEN);
    const res = await Promise.all(
      replicas.map((r) => fetch(`http://127.0.0.1:${port(r.server)}/tg/hook`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret } })),
    );
    return res.map((r) => r.status);
  }
  const repliesTo = (chatId: number) => emu.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chatId).length;

  it('two replicas given the same update at the same moment answer it once; without the shared claim they would answer twice', async () => {
    const prefix = testPrefix();
    const mk = (isShared: boolean, i: number) => {
      const d = tempDataDir(); // separate databases: only Redis is shared, as replicas on two hosts
      dirs.push(d);
      return replica(emu, { dataDir: d.dir, prefix, hookUrl: 'http://127.0.0.1:9/tg/hook', isShared, name: `bot-${isShared ? 'shared' : 'own'}-${i}` });
    };
    const shared = [await mk(true, 1), await mk(true, 2)];
    try {
      for (let n = 0; n < 5; n++) {
        const user = 7100 + n;
        emu.user(user, { languageCode: 'en' });
        expect(await postToAll(shared, helpUpdate(500_000 + n, user))).toEqual([200, 200]);
        expect(repliesTo(user)).toBe(1);
      }
      const count = async (r: Replica, outcome: string) => (await r.metrics.updates.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
      expect((await count(shared[0]!, 'handled')) + (await count(shared[1]!, 'handled'))).toBe(5);
      expect((await count(shared[0]!, 'duplicate')) + (await count(shared[1]!, 'duplicate'))).toBe(5);
    } finally {
      await Promise.all(shared.map((r) => r.close()));
    }
    // The same two replicas, each with only its own record: the duplicate gets through.
    const own = [await mk(false, 1), await mk(false, 2)];
    try {
      emu.user(7199, { languageCode: 'en' });
      await postToAll(own, helpUpdate(500_099, 7199));
      expect(repliesTo(7199)).toBe(2);
    } finally {
      await Promise.all(own.map((r) => r.close()));
    }
  });

  it('while Redis cannot answer the claim, a replica falls back to its own record: a redelivery is still skipped', async () => {
    const d = tempDataDir();
    dirs.push(d);
    const env = testEnv({ DATA_DIR: d.dir, TELEGRAM_API_ROOT: emu.apiRoot, WEBHOOK_URL: 'http://127.0.0.1:9/tg/hook', WEBHOOK_PORT: '0', WEBHOOK_HOST: '127.0.0.1' });
    const { log, lines } = memoryLogger('bot-no-redis');
    const claim = createUpdateClaim({ redisUrl: 'redis://127.0.0.1:1', prefix: testPrefix() });
    const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
    const bot = createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now, updateClaim: claim }, { apiRoot: emu.apiRoot });
    const server = await startWebhook(bot, env.config, TEST_TOKEN, log);
    try {
      emu.user(7301, { languageCode: 'en' });
      const r = { server } as Replica;
      // One update delivered twice (built once: its date is part of its identity, and a second
      // built a moment later could fall in the next second and be another update).
      const update = helpUpdate(700_000, 7301);
      expect(await postToAll([r], update)).toEqual([200]);
      expect(await postToAll([r], update)).toEqual([200]);
      expect(repliesTo(7301)).toBe(1);
      expect(lines.some((l) => l.includes("using this replica's own record"))).toBe(true);
    } finally {
      await close(server);
      await jobs.close();
      await claim.close();
      env.cleanup();
    }
  });

  it('a conversation delivered by webhook through a load balancer to two replicas on one database; a forged post is refused', async () => {
    const data = tempDataDir();
    dirs.push(data);
    const prefix = testPrefix();
    let ports: number[] = [];
    const lb = balancer(() => ports);
    await listen(lb);
    const hookUrl = `http://127.0.0.1:${port(lb)}/tg/hook`;
    const replicas = [
      await replica(emu, { dataDir: data.dir, prefix, hookUrl, isShared: true, name: 'bot-a' }),
      await replica(emu, { dataDir: data.dir, prefix, hookUrl, isShared: true, name: 'bot-b' }),
    ];
    ports = replicas.map((r) => port(r.server));
    try {
      const info = (await (await fetch(`${emu.apiRoot}/bot${TEST_TOKEN}/getWebhookInfo`)).json()) as { result: { url: string } };
      expect(info.result.url).toBe(hookUrl);
      const poll = await fetch(`${emu.apiRoot}/bot${TEST_TOKEN}/getUpdates`);
      expect(poll.status).toBe(409);

      const u = emu.user(7201, { languageCode: 'en' });
      await u.sendText('/start');
      expect((await u.nextMessage({ timeoutMs: 15_000 })).text).toContain('station number');
      await u.sendText('W07');
      expect((await u.nextMessage()).text).toContain('W07');
      await u.sendText('Li Lei');
      expect((await u.nextMessage()).text).toContain('ID-card number');
      await u.sendText(validId('44030419920229001'));
      await u.nextMessage();
      await u.press('✅ Confirm');
      await u.waitFor((m) => (m.text ?? '').includes('Registered: station'), { timeoutMs: 15_000 });
      const handled = await Promise.all(replicas.map(async (r) => (await r.metrics.updates.get()).values.find((v) => v.labels.outcome === 'handled')?.value ?? 0));
      expect(handled.every((n) => n > 0)).toBe(true); // both replicas took part
      expect(handled[0]! + handled[1]!).toBe(5); // /start, station, name, ID number, the Confirm press
      await expect.poll(() => emu.pendingUpdateCount).toBe(0); // each post confirmed once answered

      // A post without the secret (or with another) is refused and handled by no one.
      const forged = await fetch(`http://127.0.0.1:${ports[0]}/tg/hook`, { method: 'POST', body: JSON.stringify(helpUpdate(600_000, 7201)), headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'not-the-secret' } });
      expect(forged.status).toBe(403);
      const bare = await fetch(`http://127.0.0.1:${ports[1]}/tg/hook`, { method: 'POST', body: JSON.stringify(helpUpdate(600_001, 7201)), headers: { 'content-type': 'application/json' } });
      expect(bare.status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${ports[0]}/healthz`)).status).toBe(200);

      const store = openStore({ dataDir: data.dir });
      expect(store.stations.get('W07')?.contestantName).toBe('Li Lei');
      store.close();
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await close(lb);
      await fetch(`${emu.apiRoot}/bot${TEST_TOKEN}/deleteWebhook`);
    }
  });
});
