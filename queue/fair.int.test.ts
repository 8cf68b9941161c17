import { Queue, Worker, type Job } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../test/harness.js';
import { createJobQueue, FAIR_BASE_PRIORITY, type JobQueue } from './index.js';

/**
 * The ingest queue is fair across stations: a station that sent ten photos first does
 * not make another station's single photo wait for all ten. Real Redis and a real BullMQ
 * worker (concurrency 1, started once everything is queued); the assertion is on the
 * order the worker ran the jobs, never on a time.
 */
const redisUrl = inject('redisUrl');
const connection = { url: redisUrl, maxRetriesPerRequest: null } as const;

const photo = (stationNo: string, photoId: number) => ({ stationNo, photoId, chatId: 1, lang: 'en' as const });

describe('fair order across stations', () => {
  let jobs: JobQueue | undefined;
  let worker: Worker | undefined;
  let prefix = '';

  afterEach(async () => {
    await worker?.close();
    await jobs?.close();
    const q = new Queue('ingest', { connection, prefix });
    await q.obliterate({ force: true });
    await q.close();
    worker = undefined;
  });

  /** Runs every queued ingest-queue job with concurrency 1 and returns the ids in the order run. */
  async function drain(producer: JobQueue, total: number): Promise<string[]> {
    const order: string[] = [];
    worker = new Worker('ingest', async (job: Job) => void order.push(job.id ?? '?'), { connection, prefix, concurrency: 1, autorun: false });
    const done = new Promise<void>((resolve) => {
      worker?.on('completed', (job) => {
        void producer.settle(job.name, job.id, job.data);
        if (order.length === total) resolve();
      });
    });
    void worker.run();
    await done;
    return order;
  }

  async function aThenBC(fair: boolean): Promise<string[]> {
    prefix = testPrefix();
    jobs = createJobQueue({ redisUrl, prefix, fair });
    for (let i = 1; i <= 10; i++) await jobs.enqueue('ingest', photo('A01', i));
    await jobs.enqueue('ingest', photo('B01', 101));
    await jobs.enqueue('ingest', photo('C01', 201));
    return drain(jobs, 12);
  }

  it("runs B's and C's single photos before A's third", async () => {
    const order = await aThenBC(true);
    const at = (id: string) => order.indexOf(id);
    expect(at('ingest-101')).toBeGreaterThanOrEqual(0);
    expect(at('ingest-101')).toBeLessThan(at('ingest-3'));
    expect(at('ingest-201')).toBeLessThan(at('ingest-3'));
    // A's own photos keep their order.
    const aOrder = order.filter((id) => /^ingest-\d$|^ingest-10$/.test(id));
    expect(aOrder).toEqual(Array.from({ length: 10 }, (_, i) => `ingest-${i + 1}`));
  });

  it('without the fair order, first come first served makes B and C wait for all of A (what the fix changes)', async () => {
    const order = await aThenBC(false);
    expect(order.indexOf('ingest-101')).toBeGreaterThan(order.indexOf('ingest-10'));
  });

  it('a preview or album summary is not starved by a burst of photos', async () => {
    prefix = testPrefix();
    jobs = createJobQueue({ redisUrl, prefix });
    for (let i = 1; i <= 10; i++) await jobs.enqueue('ingest', photo('A01', i));
    await jobs.enqueue('preview', { stationNo: 'B01', photoId: 7, chatId: 1, lang: 'en', mode: 'edit', userId: 1, version: 1 });
    await jobs.enqueue('album-summary', { ...photo('C01', 9), mediaGroupId: 'g1', received: 2, done: 2 });
    const order = await drain(jobs, 12);
    expect(order.slice(0, 2).sort()).toEqual(['album-C01-g1-2-2', 'preview-7-v1-edit']);
  });

  it('counts a re-added job once, and a settled station starts again at the front', async () => {
    prefix = testPrefix();
    jobs = createJobQueue({ redisUrl, prefix });
    const q = new Queue('ingest', { connection, prefix });
    try {
      for (let i = 1; i <= 3; i++) await jobs.enqueue('ingest', photo('A01', i));
      await jobs.enqueue('ingest', photo('A01', 2));
      await jobs.requeue('ingest', photo('A01', 3));
      expect((await q.getJob('ingest-3'))?.priority).toBe(FAIR_BASE_PRIORITY + 2);
      expect(await jobs.jobsAhead('ingest', photo('A01', 3))).toBe(2);
      await drain(jobs, 3);
      // Each completion settled its job (a worker's 'completed' handler), so A is at the front again.
      await worker?.close();
      for (let i = 1; i <= 3; i++) await jobs.settle('ingest', `ingest-${i}`, photo('A01', i));
      await jobs.enqueue('ingest', photo('A01', 4));
      expect((await q.getJob('ingest-4'))?.priority).toBe(FAIR_BASE_PRIORITY);
    } finally {
      await q.close();
    }
  });
});
