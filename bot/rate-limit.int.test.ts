import type { Update } from 'telegraf/types';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue, createRateLimiter, type RateLimiter } from '../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../test/harness.js';
import { testQueues } from '../test/queues.js';
import { createBot } from './app.js';
import { recordBot } from './recorded-bot.js';
import { rateRules } from './rate-limit.js';

/**
 * Issue 16 point 2: per-user message and upload rates in Redis. Two bot replicas share one
 * bucket per user; over the rate the user is told once, politely, in their language, and
 * nothing is saved for the refused update; other users and proctors are not slowed.
 */
describe('per-user rate limits', () => {
  const prefix = testPrefix();
  const env = testEnv({
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: prefix,
    PROCTOR_IDS: '8609',
    RATE_MESSAGES_BURST: '4',
    RATE_MESSAGES_PER_MIN: '1',
    RATE_UPLOADS_BURST: '2',
    RATE_UPLOADS_PER_MIN: '1',
  });
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
  const queues = testQueues(inject('redisUrl'), prefix);
  const limiters: RateLimiter[] = [];
  const limiter = () => {
    const l = createRateLimiter({ redisUrl: inject('redisUrl'), prefix, rules: rateRules(env.config) });
    limiters.push(l);
    return l;
  };
  const replica = () => recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now, limiter: limiter() }));

  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    await jobs.close();
    await queues.obliterate();
    env.cleanup();
  });

  it('holds across two replicas: a burst, then one polite answer; others and proctors go on', async () => {
    const [r1, r2] = [replica(), replica()];
    const answered = () => [...r1.told(), ...r2.told()];
    for (let i = 0; i < 4; i++) await (i % 2 ? r2 : r1).send(8601, '/help', 'zh');
    expect(answered()).toHaveLength(4);
    expect(answered().join('\n')).not.toContain('🙏');
    await r2.send(8601, '/help', 'zh');
    expect(answered().at(-1)).toMatch(/^🙏 消息发得太快了。请等 \d+ 秒再继续；之前发送的内容都已保存。$/);
    const count = answered().length;
    // Told once: further messages in the same window get no answer at all.
    await r1.send(8601, '/help', 'zh');
    await r2.send(8601, '/help', 'zh');
    expect(answered()).toHaveLength(count);
    // A button press still gets its toast, so the spinner stops.
    await r1.press(8601, 'v1:st');
    expect(r1.told().at(-1)).toMatch(/^🙏 消息发得太快了/);
    // Another user, and a proctor, are not slowed.
    await r1.send(8602, '/help');
    expect(r1.told().at(-1)).not.toContain('🙏');
    for (let i = 0; i < 6; i++) await r2.send(8609, '/stations');
    expect(r2.told().slice(-6).every((t) => t.includes('Stations'))).toBe(true);
  });

  it('refuses an upload over the rate before anything is saved, with its own answer', async () => {
    env.store.stations.create({ stationNo: 'RL1', contestantName: 'R', idNumber: validId('11010519900307666') });
    env.store.users.upsert({ userId: 8610, chatId: 8610, lang: 'en' });
    env.store.users.bindStation(8610, 'RL1', 'contestant');
    const rec = replica();
    let n = 0;
    const photo = () =>
      rec.bot.handleUpdate({
        update_id: 900_000 + ++n,
        message: {
          message_id: 5000 + n,
          date: 0,
          chat: { id: 8610, type: 'private', first_name: 'R' },
          from: { id: 8610, is_bot: false, first_name: 'R', language_code: 'en' },
          photo: [{ file_id: `f${n}`, file_unique_id: `u${n}`, width: 640, height: 480, file_size: 1000 }],
        },
      } as Update);
    await photo();
    await photo();
    expect(env.store.photos.list('RL1')).toHaveLength(2);
    await photo();
    expect(rec.told().at(-1)).toMatch(/^🙏 Photos are arriving faster than one station may send them\. Please wait \d+ s/);
    expect(env.store.photos.list('RL1')).toHaveLength(2);
  });

  it('lets everything through when Redis does not answer (a limit is never an outage)', async () => {
    const dead = createRateLimiter({ redisUrl: 'redis://127.0.0.1:1', prefix, rules: rateRules(env.config), timeoutMs: 100 });
    limiters.push(dead);
    for (let i = 0; i < 8; i++) expect(await dead.take('msg', 8620)).toEqual({ allowed: true });
  });
});
