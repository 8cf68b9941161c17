import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CALLBACK_ACTIONS, encodeCallback, QUEUES, type CallbackAction, type CallbackArgs } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { testQueues } from '../../test/queues.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

/**
 * Issue 16 point 1: a contestant can never see or change another station's photos, boxes,
 * models, reports, reviews or API keys through a button. Every action of CALLBACK_ACTIONS is
 * pressed by contestant B with station A's ids (forged callback data); afterwards A's rows are
 * exactly as before, no job for A was queued (a job would send A's photo or PDF to B's chat),
 * no picture or document went to B, and no text B saw mentions A. The table is typed over
 * CALLBACK_ACTIONS, so a new action without a forged press here does not compile (and fails below).
 */

interface Ids {
  station: string;
  photo: number;
  version: number;
  box: number;
  review: number;
  run: string;
}

const FORGED: { [K in CallbackAction]: (a: Ids) => CallbackArgs<K> } = {
  reg: () => ['ok'],
  lang: () => ['en'],
  cap: () => ['0+1'],
  cl: () => ['a', 0],
  cc: () => ['a', 0, '0+1+2'],
  cv: (a) => [a.photo],
  cr: (a) => [a.photo],
  cx: (a) => [a.photo],
  tp: () => ['fast'],
  ts: (a) => [a.run],
  pc: (a) => [a.photo, a.version],
  pm: (a) => [a.photo, a.version, 0],
  pb: (a) => [a.photo, a.version],
  pk: (a) => [a.photo, a.version, 0, 1],
  pd: (a) => [a.photo, a.version, 0],
  px: (a) => [a.photo],
  rp: (a) => [a.photo],
  rt: (a) => [a.run],
  im: () => [0, '1'],
  ck: () => [0],
  co: (a) => [a.photo],
  rd: () => [],
  rv: (a) => [a.review, 0],
  ri: (a) => [a.review, a.photo],
  rb: (a) => [a.review, a.box, 'q', 0],
  rm: (a) => [a.review, a.photo, 2, 0],
  rf: (a) => [a.review],
  pv: (a) => [a.photo, a.version, '0'],
  la: (a) => [a.photo],
  dp: (a) => [a.run],
  dk: () => [],
  st: () => [],
  sp: () => [0],
  rds: (a) => [a.station],
  rr: () => ['stage1'],
  // The guide's "next action" button runs a command for the presser: B's own /plan, never A's.
  gx: () => ['plan'],
  cs: (a) => [a.photo, a.version, 0],
  // The finished review's stage-one report offer: A's review id, pressed by B.
  r1: (a) => [a.review],
  // /import's "Done": acts on the presser's own collected files only.
  ix: () => [],
};

const A_USER = 8301;
const B_USER = 8302;

describe('forged buttons with another station’s ids', () => {
  const prefix = testPrefix();
  const env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
  const queues = testQueues(inject('redisUrl'), prefix);
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now };
  let a: Ids;

  /** Everything of station A a button could show or change. */
  const snapshot = (): string => {
    const { store } = env;
    const photos = store.photos.list(a.station);
    return JSON.stringify({
      photos,
      labels: photos.map((p) => [store.labels.latest(p.id), store.labels.confirmed(p.id)]),
      reviews: store.reviews.list(a.station).map((r) => [r, store.reviews.items(r.id)]),
      runs: store.runs.list(a.station),
      key: store.apiKeys.info(a.station),
      user: store.users.get(A_USER),
    });
  };

  /** Jobs queued for station A (or for one of its photos). */
  const jobsForA = async (): Promise<string[]> => {
    const photoIds = new Set(env.store.photos.list(a.station).map((p) => p.id));
    const found: string[] = [];
    for (const name of new Set(Object.values(QUEUES))) {
      const list = await queues.queue(name).getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
      for (const j of list) {
        const d = j.data as { stationNo?: string; photoId?: number };
        if (d.stationNo === a.station || (d.photoId !== undefined && photoIds.has(d.photoId))) found.push(`${name}:${j.name}:${j.id ?? ''}`);
      }
    }
    return found;
  };

  beforeAll(async () => {
    await seedConfirmedStation(env, 'ZA9', A_USER, 2, '7');
    env.store.stations.create({ stationNo: 'QB3', contestantName: 'B', idNumber: validId('11010519900307555') });
    env.store.users.upsert({ userId: B_USER, chatId: B_USER, lang: 'en' });
    env.store.users.bindStation(B_USER, 'QB3', 'contestant');
    const photo = env.store.photos.list('ZA9')[0];
    if (!photo) throw new Error('seed made no photo');
    const version = env.store.labels.latest(photo.id)?.version ?? 0;
    const box = env.store.labels.confirmed(photo.id)?.[0];
    const review = env.store.reviews.create('ZA9', 7, 0.2, [photo.id]);
    const created = env.store.runs.create({ stationNo: 'ZA9', kind: 'train', params: {}, chatId: A_USER });
    env.store.runs.update(created.run.id, { status: 'completed' });
    env.store.runs.setDeployed(created.run.id);
    env.store.apiKeys.issue('ZA9');
    if (!box) throw new Error('seed made no box');
    a = { station: 'ZA9', photo: photo.id, version, box: box.id, review: review.id, run: created.run.id };
  });

  afterAll(async () => {
    await jobs.close();
    await queues.obliterate();
    env.cleanup();
  });

  it('covers every action in CALLBACK_ACTIONS', () => {
    expect(Object.keys(FORGED).sort()).toEqual(Object.keys(CALLBACK_ACTIONS).sort());
  });

  it.each(Object.keys(CALLBACK_ACTIONS) as CallbackAction[])('%s: B sees and changes nothing of A', async (action) => {
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    const before = snapshot();
    const make = FORGED[action] as (ids: Ids) => Array<string | number>;
    const data = (encodeCallback as (act: CallbackAction, ...args: Array<string | number>) => string)(action, ...make(a));
    await rec.press(B_USER, data);

    expect(snapshot()).toBe(before);
    expect(await jobsForA()).toEqual([]);
    const media = rec.calls.filter((c) => /^send(Photo|Document|MediaGroup|Video|Animation)$/.test(c.method) || c.method === 'editMessageMedia');
    expect(media).toEqual([]);
    // Nothing B was shown names A's station, run or review.
    const shown = rec.calls.map((c) => JSON.stringify(c.payload)).join('\n');
    expect(shown).not.toContain(a.station);
    expect(shown).not.toMatch(new RegExp(`#${a.review}\\b`));
    // The press was answered (no endless spinner).
    expect(rec.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
  });
});
