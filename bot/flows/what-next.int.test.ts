import { afterAll, describe, expect, inject, it } from 'vitest';
import { capturePlan } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix } from '../../test/harness.js';
import { confirmBoxes, seedPhoto, seedStation } from '../../test/seed-photo.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

/**
 * "What next?" after the plan is captured and confirmed follows the exam's order, as the
 * guide's next action does: review, stage-one report, train (not "train" straight away).
 */
describe('"what next?" once capture and labels are done', () => {
  const env = testEnv();
  const exam = { ...env.exam, quotas: { '1': 1, '2': 1, '3': 1 } };
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const { log } = memoryLogger('bot');
  const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam, store: env.store, jobs, log, now: Date.now }));

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('says review, then the stage-one report', async () => {
    seedStation(env, 'N01', 9401, '11010519900307123');
    let n = 0;
    for (const item of capturePlan(exam)) {
      const keys = item.classIds.map((id) => exam.classes[id]?.key ?? '');
      const p = await seedPhoto(env, 'N01', keys, n++);
      confirmBoxes(env, p.id, p.boxes);
    }
    await rec.send(9401, 'what next?');
    expect(rec.told().at(-1)).toBe('Next: the acceptance review of your 7 labeled photos — /review.');
    // A finished review: next is the stage-one report.
    const first = env.store.labels.listConfirmed('N01')[0];
    const review = env.store.reviews.create('N01', 1, exam.sampleRate, first ? [first.photo.id] : []);
    for (const item of env.store.reviews.items(review.id)) if (item.boxId !== null) env.store.reviews.setVerdict(review.id, item.boxId, 'qualified', 9401);
    env.store.reviews.finish(review.id);
    await rec.send(9401, 'what next?');
    expect(rec.told().at(-1)).toBe('Next: the dataset acceptance report — /report1.');
  });
});
