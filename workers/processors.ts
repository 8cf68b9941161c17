import type { Job } from 'bullmq';
import type { Telegram } from 'telegraf';
import type { Config, ExamConfig, Logger } from '../core/index.js';
import type { JobQueue, ProcessMetrics } from '../queue/index.js';
import type { BlobStore, Store } from '../store/index.js';

/** What every processor gets. */
export interface WorkerDeps {
  config: Config;
  exam: ExamConfig;
  store: Store;
  log: Logger;
  telegram: Telegram;
  /** The shipped base detector (ONNX) when it fits this exam's classes. */
  baseModel?: string;
  /** The one producer (follow-up jobs, recovery sweeps). */
  jobs: JobQueue;
  /** This process's metrics (job durations, ingest verdicts); pushed to Redis for `/metrics`. */
  metrics?: ProcessMetrics;
  /** The shared object store when `S3_*` is set (write-through of finished files); DATA_DIR only when absent. */
  blobs?: BlobStore;
}

/** One queue's processor: the job function, its concurrency, its final-failure step and an optional start-up recovery sweep. */
export interface Processor {
  process(job: Job, deps: WorkerDeps): Promise<unknown>;
  concurrency(config: Config): number;
  /**
   * Called once when BullMQ gives up on a job (attempts exhausted or an unrecoverable
   * error): records the failure in SQLite and tells the chat, so no failure is only a log line.
   */
  failed(job: Job, err: Error, deps: WorkerDeps): Promise<void>;
  /**
   * Re-enqueues work the database says is unfinished (e.g. after Redis lost its data, or
   * a bot that recorded a photo but could not enqueue it). Run at start-up for everything,
   * then every `SWEEP_EVERY_MS` for what is older than `olderThanMs`; job ids make it idempotent.
   */
  recover?(deps: WorkerDeps, opts?: { olderThanMs?: number }): Promise<void>;
}
