import { afterAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

/** Issue 11 point 12: run status words come from the catalogue, never raw (`completed`) in the Chinese UI. */
describe('/models status words', () => {
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const { log } = memoryLogger('bot');
  const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now }));
  env.store.stations.create({ stationNo: 'M01', contestantName: 'Wang', idNumber: validId() });
  env.store.users.upsert({ userId: 9201, chatId: 9201, lang: 'zh' });
  env.store.users.bindStation(9201, 'M01', 'contestant');

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('lists runs with Chinese status words in the Chinese UI', async () => {
    const first = env.store.runs.create({ stationNo: 'M01', kind: 'train', params: { model: 'ssdlite' }, chatId: 9201 });
    if (first.kind !== 'created') throw new Error('seed failed');
    env.store.runs.update(first.run.id, { status: 'completed', metrics: { map50: 0.9 }, finishedAt: Date.now() });
    env.store.runs.create({ stationNo: 'M01', kind: 'train', params: { model: 'ssdlite' }, chatId: 9201 });
    await rec.send(9201, '/models', 'zh-hans');
    const text = rec.told().at(-1) ?? '';
    expect(text).toContain('已完成');
    expect(text).toContain('排队中');
    expect(text).not.toMatch(/completed|queued|running/);
  });
});
