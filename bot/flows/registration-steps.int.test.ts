import { afterAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

/** Issue 11 points 15 and 17: registration says which step waits; "what next?" is answered. */
describe('registration steps and "what next?"', () => {
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const { log } = memoryLogger('bot');
  const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now }));
  env.store.stations.create({ stationNo: 'B01', contestantName: 'Wang', idNumber: validId() });

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('names the waiting step when /plan comes mid-registration', async () => {
    await rec.send(9101, '/start');
    await rec.send(9101, '/plan');
    expect(rec.told().at(-1)).toContain('station number');
    expect(rec.told().at(-1)).not.toContain('/start');
    await rec.send(9101, 'C03');
    await rec.send(9101, '/plan');
    expect(rec.told().at(-1)).toMatch(/Registration is in progress: send your <b>full name<\/b>/);
  });

  it('refuses a taken station number when it is typed; typing it again joins with the same name and ID', async () => {
    await rec.send(9102, '/start');
    await rec.send(9102, 'B01');
    expect(rec.told().at(-1)).toContain('Station <b>B01</b> is registered to another contestant');
    await rec.send(9102, 'B01');
    expect(rec.told().at(-1)).toContain('Send your <b>full name</b>');
  });

  it('answers "what next?" (zh and en) with the next step', async () => {
    await rec.send(9103, 'What next?');
    expect(rec.told().at(-1)).toBe('Next: send /start to register your station.');
    env.store.users.bindStation(9103, 'B01', 'contestant');
    await rec.send(9103, 'what should I do next?');
    expect(rec.told().at(-1)).toMatch(/^Next: capture <b>.+<\/b> \(10 to go\)/);
    await rec.send(9104, '下一步做什么？', 'zh-hans');
    expect(rec.told().at(-1)).toBe('下一步：发送 /start 登记你的工位。');
  });
});
