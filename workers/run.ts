import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Config, ExamConfig, Logger, QueueName } from '../core/index.js';
import { createJobQueue, createProcessMetrics, type ProcessMetrics } from '../queue/index.js';
import { blobStoreFromConfig, type BlobStore, type Store } from '../store/index.js';
import { closeDetectors } from '../vision/index.js';
import { redisConnection, telegramClient } from './connection.js';
import { isFinalFailure, toWorkerError } from './give-up.js';
import type { WorkerDeps } from './processors.js';
import { PROCESSORS } from './registry.js';
import { ensureBaseModel } from './base-model.js';
import { advertiseTrainerDevice } from './train/device-advert.js';

/**
 * Starts one BullMQ worker per queue in WORKER_QUEUES that has a processor, then runs
 * each processor's recovery sweep. Used by `workers/main.ts` and by tests.
 */
export async function startWorkers(opts: { config: Config; exam: ExamConfig; store: Store; log: Logger; baseModel?: string; metrics?: ProcessMetrics; blobs?: BlobStore }): Promise<{ close(): Promise<void>; queues: string[]; metrics: ProcessMetrics }> {
  const { config, log } = opts;
  const metrics = opts.metrics ?? createProcessMetrics('workers');
  const connection = redisConnection(config);
  const jobs = createJobQueue({ redisUrl: connection.url, prefix: config.QUEUE_PREFIX });
  const baseModel = opts.baseModel ?? (config.WORKER_QUEUES.includes('ingest') ? await ensureBaseModel(config, opts.exam, log) : undefined);
  const blobs = opts.blobs ?? blobStoreFromConfig(config);
  if (blobs) log.info({ where: blobs.where }, 'object store on: finished files are written through');
  const deps: WorkerDeps = { ...opts, metrics, telegram: telegramClient(config), jobs, ...(baseModel ? { baseModel } : {}), ...(blobs ? { blobs } : {}) };
  const workers: Worker[] = [];
  const sweeps: NodeJS.Timeout[] = [];
  const watchers: Array<QueueEvents | Queue> = [];
  // The fair order across stations forgets a job once it has left for good (done, or failed
  // for good); a failure to do so only skews that station's order until the entry ages out.
  const settle = (job: Job): Promise<void> =>
    jobs.settle(job.name, job.id, job.data).catch((e: unknown) => log.warn({ queue: job.queueName, jobId: job.id, err: e }, 'could not settle the fair order (it repairs itself)'));
  for (const name of config.WORKER_QUEUES as QueueName[]) {
    const processor = PROCESSORS[name];
    if (!processor) {
      log.warn({ queue: name }, 'no processor for this queue yet; not serving it');
      continue;
    }
    const worker = new Worker(
      name,
      async (job: Job) => {
        const started = performance.now();
        let outcome = 'failed';
        try {
          // Every line a processor logs for this job names its queue, job and station.
          const result = await processor.process(job, { ...deps, log: jobLogger(log, job) });
          // Before the job completes, so its station's next photo already sees one fewer ahead.
          await settle(job);
          outcome = 'completed';
          return result;
        } catch (err) {
          // The class decides the retry: a mistake, a bug or a 4xx is never retried.
          throw toWorkerError(err);
        } finally {
          metrics.jobDuration.observe({ queue: name, job: job.name, outcome }, (performance.now() - started) / 1000);
        }
      },
      {
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: processor.concurrency(config),
        // A killed worker's active job is picked up again once its lock lapses.
        lockDuration: config.JOB_LOCK_MS,
        stalledInterval: config.JOB_LOCK_MS,
      },
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = isFinalFailure(job, err);
      log.warn({ queue: name, jobId: job.id, job: job.name, attempts: job.attemptsMade, final, err }, final ? 'job failed for good' : 'job failed; will retry');
      if (!final) return;
      void settle(job);
      processor.failed(job, err, deps).catch((e: unknown) => log.error({ queue: name, jobId: job.id, err: e }, 'final-failure step failed'));
    });
    // A dead Redis makes ioredis fail on every reconnect attempt: one line per 30 s, with the count.
    let lastErrorAt = 0;
    let suppressed = 0;
    const onError = (err: Error): void => {
      const now = Date.now();
      if (now - lastErrorAt < 30_000) {
        suppressed++;
        return;
      }
      log.error({ queue: name, err, suppressed }, 'worker error');
      lastErrorAt = now;
      suppressed = 0;
    };
    worker.on('error', onError);
    workers.push(worker);
    // A job whose worker died too often is failed by BullMQ's stalled check, which no
    // worker's 'failed' event reports: its final step runs from the queue's events. The
    // final steps change state only by compare-and-set, so two workers hearing it tell once.
    const events = new QueueEvents(name, { connection, prefix: config.QUEUE_PREFIX });
    const queue = new Queue(name, { connection, prefix: config.QUEUE_PREFIX });
    events.on('failed', ({ jobId, failedReason }) => {
      if (!/stalled more than allowable limit/.test(failedReason)) return;
      void queue
        .getJob(jobId)
        .then((job) => {
          if (!job) return;
          void settle(job);
          return processor.failed(job, new Error(failedReason), deps);
        })
        .catch((e: unknown) => log.error({ queue: name, jobId, err: e }, 'final-failure step failed'));
    });
    events.on('error', onError);
    queue.on('error', onError);
    watchers.push(events, queue);
    await processor.recover?.(deps);
    if (processor.recover) {
      const recover = processor.recover.bind(processor);
      let isRunning = false;
      const sweep = setInterval(() => {
        if (isRunning) return;
        isRunning = true;
        recover(deps, { olderThanMs: config.SWEEP_AFTER_MS })
          .catch((err: unknown) => log.warn({ queue: name, err }, 'recovery sweep failed; next one retries'))
          .finally(() => (isRunning = false));
      }, config.SWEEP_EVERY_MS);
      sweep.unref();
      sweeps.push(sweep);
    }
  }
  // A training worker says which device it trains on (/train picks the presets for it).
  const advert = workers.some((w) => w.name === 'train') ? advertiseTrainerDevice(deps) : undefined;
  log.info({ queues: workers.map((w) => w.name) }, 'workers ready');
  return {
    queues: workers.map((w) => w.name),
    metrics,
    async close() {
      for (const sweep of sweeps) clearInterval(sweep);
      await advert?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(watchers.map((w) => w.close()));
      await jobs.close();
      await closeDetectors();
    },
  };
}

/** A child logger whose lines carry the job's queue, id, name and station (when its payload has one). */
export function jobLogger(log: Logger, job: Job): Logger {
  const station = (job.data as { stationNo?: unknown } | null)?.stationNo;
  return log.child({ queue: job.queueName, jobId: job.id, job: job.name, ...(typeof station === 'string' ? { station } : {}) });
}
