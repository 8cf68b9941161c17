import { Queue } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { memoryLogger, testEnv, testPrefix, validId } from '../../test/harness.js';
import { createJobQueue } from '../../queue/index.js';
import { testQueues } from '../../test/queues.js';
import { assistMilestone, maybeStartAssist, MAX_ASSIST_RUNS } from './assist.js';

describe('assist loop trigger', () => {
  const prefix = testPrefix();
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now };

  afterAll(async () => {
    await jobs.close();
    await testQueues(inject('redisUrl'), prefix).obliterate();
    env.cleanup();
  });

  function confirmPhotos(n: number, combo: string, classIds: number[], from: number, stationNo = 'A01'): void {
    for (let i = 0; i < n; i++) {
      const { photo } = env.store.photos.receive({ stationNo, tgFileId: `f${from + i}`, tgFileUniqueId: `u${from + i}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: from + i, combo });
      env.store.photos.complete(photo.id, { status: 'clean', sha256: `s${from + i}`, phash: '0'.repeat(16), format: 'jpeg', width: 640, height: 480, sharpness: 100, meanLuma: 100, darkFraction: 0, brightFraction: 0, rawPath: '/x', imagePath: '/x' });
      const v = env.store.labels.addVersion(photo.id, { kind: 'label', author: 1, boxes: classIds.map((c, k) => ({ classId: c, x1: 10 + k * 100, y1: 10, x2: 90 + k * 100, y2: 90, source: 'human' as const })) });
      env.store.labels.confirm(photo.id, v);
    }
  }

  it('queues one low-priority assist run per milestone (N, 2N, 4N, 8N), never two at once', async () => {
    env.store.stations.create({ stationNo: 'A01', contestantName: 'A', idNumber: validId() });
    const n = env.exam.labeling.assistAfterPerClass;
    expect(n).toBe(3); // the default: a few-shot station model after the third confirmed photo
    confirmPhotos(n - 1, '0+1+2', [0, 1, 2], 0);
    expect(await maybeStartAssist(deps, 'A01', 1, 'en')).toBeUndefined();
    confirmPhotos(1, '0+1+2', [0, 1, 2], 1000);
    const run = await maybeStartAssist(deps, 'A01', 1, 'en');
    expect(run).toBe('A01-a1');
    expect(env.store.runs.get('A01-a1')).toMatchObject({ kind: 'assist', status: 'queued' });
    expect(await maybeStartAssist(deps, 'A01', 1, 'en')).toBeUndefined();
    const q = new Queue('train', { connection: { url: inject('redisUrl') }, prefix });
    const queued = await q.getJobs(['prioritized', 'waiting']);
    expect(queued.map((j) => [j.id, j.opts.priority])).toEqual([['train-A01-a1', 10]]);
    await q.close();
    env.store.runs.update('A01-a1', { status: 'completed' });
    expect(await maybeStartAssist(deps, 'A01', 1, 'en')).toBeUndefined(); // next milestone is 2N

    // 2N, 4N and 8N make the next runs; past the last milestone no further run comes,
    // however many photos are confirmed.
    let from = 2000;
    let have = n;
    for (const k of [2, 3, 4]) {
      const milestone = assistMilestone(n, k - 1);
      confirmPhotos(milestone - have - 1, '0+1+2', [0, 1, 2], from);
      from += 1000;
      expect(await maybeStartAssist(deps, 'A01', 1, 'en')).toBeUndefined();
      confirmPhotos(1, '0+1+2', [0, 1, 2], from);
      from += 1000;
      have = milestone;
      const next = await maybeStartAssist(deps, 'A01', 1, 'en');
      expect(next).toBe(`A01-a${k}`);
      env.store.runs.update(`A01-a${k}`, { status: 'completed' });
    }
    confirmPhotos(n * 8, '0+1+2', [0, 1, 2], from);
    expect(await maybeStartAssist(deps, 'A01', 1, 'en')).toBeUndefined();
    expect(env.store.runs.list('A01').filter((r) => r.kind === 'assist')).toHaveLength(MAX_ASSIST_RUNS);
  });

  it('starts after N photos of the classes labelled so far; a class not photographed yet does not hold it back', async () => {
    env.store.stations.create({ stationNo: 'A02', contestantName: 'B', idNumber: validId() });
    const n = env.exam.labeling.assistAfterPerClass;
    confirmPhotos(n, '0', [0], 50000, 'A02');
    confirmPhotos(n - 1, '1', [1], 60000, 'A02');
    // class 0 has N, class 1 only N-1: the classes seen are not all ready
    expect(await maybeStartAssist(deps, 'A02', 1, 'en')).toBeUndefined();
    confirmPhotos(1, '1', [1], 70000, 'A02');
    // class 2 has no photo yet: it does not hold the run back
    expect(await maybeStartAssist(deps, 'A02', 1, 'en')).toBe('A02-a1');
  });
});
