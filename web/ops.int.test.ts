import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QUEUES } from '../core/index.js';
import { createMetricsScraper, createProcessMetrics, startMetricsPush } from '../queue/index.js';
import { startChatStack, type ChatStack } from '../test/chat-stack.js';
import { memoryLogger, testEnv, testPrefix } from '../test/harness.js';
import { seedStation } from '../test/seed-photo.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';
import { createWebServer, type Route } from './server.js';
import { dashboardRoute, metricsRoute } from './ops-routes.js';

/** Sum of the samples of `name` whose labels include every pair of `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total = (total ?? 0) + Number(m[3]);
  }
  return total;
}

async function listen(routes: Route[], env: ReturnType<typeof testEnv>) {
  const { log } = memoryLogger('web');
  const server = createWebServer({ config: env.config, exam: env.exam, store: env.store, log }, routes);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

describe('/metrics after real jobs', () => {
  let stack: ChatStack;
  const botMetrics = createProcessMetrics('bot', 'bot-test');

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' }, botMetrics });
  });
  afterAll(() => stack.close());

  it('counts updates, replies, jobs and verdicts of the bot and workers, and reads queue depths and runs', async () => {
    const { config, store } = stack.env;
    const pushes = [
      startMetricsPush(botMetrics, { redisUrl: config.REDIS_URL!, prefix: config.QUEUE_PREFIX, everyMs: 60_000 }),
      startMetricsPush(stack.workers.metrics, { redisUrl: config.REDIS_URL!, prefix: config.QUEUE_PREFIX, everyMs: 60_000 }),
    ];
    const metrics = metricsRoute({ config, store, scraper: createMetricsScraper({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }) });
    const web = await listen([metrics.route], stack.env);
    try {
      const scrape = async () => {
        await Promise.all(pushes.map((p) => p.push()));
        const res = await fetch(`${web.base}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/plain');
        return res.text();
      };
      const before = await scrape();
      expect(sample(before, 'copilot_ingest_verdicts_total') ?? 0).toBe(0);
      expect(sample(before, 'copilot_queue_jobs', { queue: 'ingest', state: 'waiting' })).toBe(0);
      expect(sample(before, 'copilot_redis_up')).toBe(1);

      seedStation(stack.env, 'M01', 4101, '11010519900307123');
      store.runs.create({ stationNo: 'M01', kind: 'train', params: {}, chatId: null });
      const u = stack.emu.user(4101, { languageCode: 'en' });
      const jpeg = (await renderRigPhoto({ seed: 41, classes: DEFAULT_CLASSES, combo: ['digital'], width: 800, height: 600 })).jpeg;
      await u.sendPhoto(jpeg, { caption: 'digital' });
      await u.waitFor((m) => (m.caption ?? '').includes('Digital meter 1/10'), { timeoutMs: 30_000 });
      await u.sendDocument(jpeg, 'again.jpg');
      await u.waitFor((m) => (m.text ?? '').includes('identical to photo'), { timeoutMs: 30_000 });

      // The verdict reaches the chat from inside the job; its duration is recorded as the job ends.
      await expect.poll(async () => sample(await scrape(), 'copilot_job_duration_seconds_count', { queue: 'ingest', job: 'ingest' }), { timeout: 30_000 }).toBe(2);
      const after = await scrape();
      expect(sample(after, 'copilot_ingest_verdicts_total', { verdict: 'accepted', proc: 'workers' })).toBe(1);
      expect(sample(after, 'copilot_ingest_verdicts_total', { verdict: 'rejected', reason: 'exact-duplicate' })).toBe(1);
      expect(sample(after, 'copilot_job_duration_seconds_count', { queue: 'ingest', job: 'ingest', outcome: 'completed' })).toBe(2);
      expect(sample(after, 'copilot_bot_updates_total', { outcome: 'handled', proc: 'bot', instance: 'bot-test' })).toBeGreaterThanOrEqual(2);
      // A photo's answer comes from the worker; a command's from the bot: one more reply observed.
      const replies = sample(after, 'copilot_bot_reply_seconds_count', { kind: 'message' }) ?? 0;
      await u.sendText('/plan');
      await u.waitFor((m) => (m.text ?? '').includes('M01'), { timeoutMs: 30_000 });
      expect(sample(await scrape(), 'copilot_bot_reply_seconds_count', { kind: 'message', proc: 'bot' })).toBe(replies + 1);
      expect(sample(after, 'copilot_training_runs', { kind: 'train', state: 'queued' })).toBe(1);
      for (const q of ['ingest', 'train', 'report', 'export']) {
        for (const s of ['waiting', 'active', 'delayed', 'failed']) expect(sample(after, 'copilot_queue_jobs', { queue: q, state: s }), `${q} ${s}`).toBeTypeOf('number');
      }

      // Every worker line about a job names the job and its station.
      const ingested = stack.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'photo ingested');
      expect(ingested.length).toBe(2);
      for (const l of ingested) expect(l).toMatchObject({ queue: 'ingest', job: 'ingest', station: 'M01', jobId: expect.any(String) });
      // And the bot's line per update names the update and the station.
      const updates = stack.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'update handled' && l.station === 'M01');
      expect(updates.length).toBeGreaterThanOrEqual(2);
      expect(updates[0]).toMatchObject({ update: { id: expect.any(Number), kind: 'message' }, ms: expect.any(Number) });
    } finally {
      await web.close();
      await metrics.scraper.close();
      await Promise.all(pushes.map((p) => p.close()));
    }
  });
});

describe('queue dashboard', () => {
  it('refuses without the admin password and lists the queues with it; off when no password is set', async () => {
    const env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: testPrefix(), ADMIN_PASSWORD: 'correct-horse-battery' });
    const board = dashboardRoute({ config: env.config });
    const web = await listen([board.route], env);
    const off = testEnv({ REDIS_URL: inject('redisUrl') });
    const closed = await listen([dashboardRoute({ config: off.config }).route], off);
    try {
      const auth = (pw: string) => ({ authorization: `Basic ${Buffer.from(`admin:${pw}`).toString('base64')}` });
      for (const headers of [{}, auth('wrong-password-x'), { authorization: 'Bearer correct-horse-battery' }]) {
        for (const p of ['/admin/queues', '/admin/queues/api/queues']) {
          const res = await fetch(web.base + p, { headers });
          expect(res.status, p).toBe(401);
          expect(res.headers.get('www-authenticate')).toContain('Basic');
        }
      }
      const page = await fetch(`${web.base}/admin/queues`, { headers: auth('correct-horse-battery') });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const api = await fetch(`${web.base}/admin/queues/api/queues`, { headers: auth('correct-horse-battery') });
      expect(api.status).toBe(200);
      const body = (await api.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
      expect(body.queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
      expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);

      expect((await fetch(`${closed.base}/admin/queues`)).status).toBe(404);
    } finally {
      await web.close();
      await closed.close();
      await board.close();
      env.cleanup();
      off.cleanup();
    }
  });
});
