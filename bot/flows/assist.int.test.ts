import { Queue } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { memoryLogger, testEnv, testPrefix, validId } from '../../test/harness.js';
import { createJobQueue } from '../../queue/index.js';
import { testQueues } from '../../test/queues.js';
import { maybeStartAssist, MAX_ASSIST_RUNS } from './assist.js';

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

  function confirmPhotos(n: number, combo: string, classIds: number[], from: number): void {
    for (let i = 0; i < n; i++) {
      const { photo } = env.store.photos.receive({ stationNo: 'A01', tgFileId: `f${from + i}`, tgFileUniqueId: `u${from + i}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: from + i, combo });
      env.store.photos.complete(photo.id, { status: 'clean', sha256: `s${from + i}`, phash: '0'.repeat(16), format: 'jpeg', width: 640, height: 480, sharpness: 100, meanLuma: 100, darkFraction: 0, brightFraction: 0, rawPath: '/x', imagePath: '/x' });
      const v = env.store.labels.addVersion(photo.id, { kind: 'label', author: 1, boxes: classIds.map((c, k) => ({ classId: c, x1: 10 + k * 100, y1: 10, x2: 90 + k * 100, y2: 90, source: 'human' as const })) });
      env.store.labels.confirm(photo.id, v);
    }
  }

  it('queues one low-priority assist run per milestone, never two at once', async () => {
    env.store.stations.create({ stationNo: 'A01', contestantName: 'A', idNumber: validId() });
    const milestone = env.exam.labeling.assistAfterPerClass;
    confirmPhotos(milestone - 1, '0+1+2', [0, 1, 2], 0);
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
    expect(MAX_ASSIST_RUNS).toBe(3);
  });
});
