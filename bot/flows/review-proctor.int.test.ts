import { afterAll, describe, expect, inject, it } from 'vitest';
import { encodeCallback, JOBS, QUEUES } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix } from '../../test/harness.js';
import { testQueues } from '../../test/queues.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

const PROCTOR = 8401;
const CONTESTANT = 8402;

type Markup = { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };

/**
 * Issue 12's last gap, issue 16 point 1: a proctor acts as the reviewer of another station in
 * `/review <station>` (the verdicts record the proctor), and opens any station's reports.
 */
describe('a proctor reviews a station', () => {
  const prefix = testPrefix();
  const env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, PROCTOR_IDS: String(PROCTOR) });
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
  const queues = testQueues(inject('redisUrl'), prefix);
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now };

  afterAll(async () => {
    await jobs.close();
    await queues.obliterate();
    env.cleanup();
  });

  it('draws, marks every box and finishes the review of P01; the verdicts name the proctor; the contestant sees the result', async () => {
    await seedConfirmedStation(env, 'P01', CONTESTANT, 3, '3');
    env.store.users.upsert({ userId: PROCTOR, chatId: PROCTOR, lang: 'en' });
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    const lastMarkup = (): Markup => rec.calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').at(-1)?.payload.reply_markup as Markup;

    await rec.send(PROCTOR, '/review');
    expect(rec.told().at(-1)).toBe('As a proctor, name the station: <code>/review A07</code>.');
    await rec.send(PROCTOR, '/review Z99');
    expect(rec.told().at(-1)).toBe('There is no station Z99. /stations lists them.');
    await rec.send(PROCTOR, '/review p01');
    expect(rec.told().at(-1)).toContain('🧑‍⚖️ Station <b>P01</b> (you act as its proctor):');
    expect(lastMarkup().inline_keyboard.flat().map((b) => b.callback_data)).toEqual([encodeCallback('rds', 'P01')]);

    await rec.press(PROCTOR, encodeCallback('rds', 'P01'));
    const review = env.store.reviews.latest('P01');
    if (!review) throw new Error('no review drawn');
    // The sampled photo is sent to the proctor's chat by a job.
    const pics = await queues.queue(JOBS['review-photo'].queue).getJobs(['waiting', 'prioritized', 'delayed']);
    expect(pics.map((j) => j.data as { chatId: number; stationNo: string })).toContainEqual(expect.objectContaining({ chatId: PROCTOR, stationNo: 'P01' }));

    for (const item of env.store.reviews.items(review.id)) {
      if (item.boxId !== null) await rec.press(PROCTOR, encodeCallback('rb', review.id, item.boxId, 'q', 0));
    }
    const photoId = env.store.reviews.items(review.id)[0]?.photoId ?? 0;
    await rec.press(PROCTOR, encodeCallback('rm', review.id, photoId, 1, 0));
    await rec.press(PROCTOR, encodeCallback('rf', review.id));
    const done = env.store.reviews.get(review.id);
    expect(done?.finishedAt).not.toBeNull();
    const items = env.store.reviews.items(review.id);
    expect(items.filter((i) => i.boxId !== null).every((i) => i.verdict === 'qualified' && i.reviewerId === PROCTOR)).toBe(true);
    expect(items.find((i) => i.boxId === null && i.photoId === photoId)).toMatchObject({ missed: 1, reviewerId: PROCTOR });
    // After Finish, the proctor's Draw names the station again.
    expect(lastMarkup().inline_keyboard.flat().map((b) => b.callback_data)).toContain(encodeCallback('rds', 'P01'));

    // The contestant's own /review shows the proctor's result.
    await rec.send(CONTESTANT, '/review');
    expect(rec.told().at(-1)).toContain(`Review #${review.id}`);
    expect(rec.told().at(-1)).toMatch(/Accuracy|accuracy/);
    // A contestant pressing the proctor's Draw is refused.
    const before = env.store.reviews.list('P01').length;
    await rec.press(CONTESTANT, encodeCallback('rds', 'P01'));
    expect(rec.told().at(-1)).toBe('This menu is outdated; send the command again.');
    expect(env.store.reviews.list('P01')).toHaveLength(before);
  });

  it('opens any station’s reports: the PDF job names that station and the proctor’s chat', async () => {
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    await rec.send(PROCTOR, '/report1');
    expect(rec.told().at(-1)).toBe('As a proctor, name the station: <code>/report1 A07</code>.');
    await rec.send(PROCTOR, '/report1 P01');
    const jobsNow = await queues.queue(QUEUES.report).getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobsNow.map((j) => j.data as { chatId: number; stationNo: string; kind: string })).toContainEqual(
      expect.objectContaining({ chatId: PROCTOR, stationNo: 'P01', kind: 'stage1' }),
    );
  });
});
