import { resolve } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validId } from '../../test/harness.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { until } from '../../test/processes.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { startWorkers } from '../run.js';

/**
 * The recovery sweep gives every photo the database says is unfinished a live job, even
 * when a failed copy of its job still holds the same id (BullMQ would ignore a plain add).
 */
describe('recovery after a failed job', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    // The stack's own workers serve no ingest queue: the test decides who runs the job.
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'report' } });
  });
  afterAll(() => stack.close());

  it('re-adds an ingest job whose failed copy held the same id', async () => {
    const { emu, env, queues } = stack;
    env.store.stations.create({ stationNo: 'V01', contestantName: 'V', idNumber: validId() });
    const u = emu.user(8301, { languageCode: 'en' });
    env.store.users.upsert({ userId: u.id, chatId: u.id, lang: 'en' });
    env.store.users.bindStation(u.id, 'V01', 'contestant');
    env.store.users.setActiveCombo(u.id, '2');
    await u.sendPhoto((await renderRigPhoto({ seed: 51, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 })).jpeg);
    await until(() => env.store.photos.list('V01').length === 1, 20_000, 'the photo received');
    const photo = env.store.photos.list('V01')[0];
    if (!photo) throw new Error('no photo');
    const jobId = `ingest-${photo.id}`;
    await until(async () => (await queues.queue('ingest').getJob(jobId)) !== undefined, 20_000, 'the ingest job queued');

    // A worker that gives up at once leaves a failed copy under the photo's job id.
    const failing = new Worker('ingest', () => Promise.reject(new UnrecoverableError('test: give up')), { connection: { url: inject('redisUrl'), maxRetriesPerRequest: null }, prefix: env.config.QUEUE_PREFIX });
    expect(await queues.waitForFinished('ingest', jobId)).toBe('failed');
    await failing.close();
    expect(env.store.photos.get(photo.id)?.status).toBe('received');

    const workers = await startWorkers({ config: { ...env.config, WORKER_QUEUES: ['ingest'] }, exam: env.exam, store: env.store, log: stack.log, baseModel: resolve('vision/detector/fixtures/detector-alt.onnx') });
    try {
      const preview = await u.waitFor((m) => (m.caption ?? '').includes(`#${photo.id} · Digital meter 1/10`), { timeoutMs: 30_000 });
      expect(preview.caption).toContain('total 1/100');
      expect(env.store.photos.get(photo.id)?.status).toBe('prelabeled');
    } finally {
      await workers.close();
    }
  }, 90_000);
});
