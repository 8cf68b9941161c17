import type { Job } from 'bullmq';
import type { Telegram } from 'telegraf';
import type { Config, ExamConfig, Logger, QueueName } from '../core/index.js';
import type { Store } from '../store/index.js';

/** What every processor gets. */
export interface WorkerDeps {
  config: Config;
  exam: ExamConfig;
  store: Store;
  log: Logger;
  telegram: Telegram;
  /** The shipped base detector (ONNX) when it fits this exam's classes. */
  baseModel?: string;
  /** Adds a job (idempotent by `jobId`). */
  enqueue(queue: QueueName, name: string, data: unknown, opts: { jobId: string; delay?: number; priority?: number }): Promise<void>;
}

/** One queue's processor: the job function, its concurrency, and an optional start-up recovery sweep. */
export interface Processor {
  process(job: Job, deps: WorkerDeps): Promise<unknown>;
  concurrency(config: Config): number;
  /**
   * Re-enqueues work the database says is unfinished (e.g. after Redis lost its data, or
   * a bot that recorded a photo but could not enqueue it). Run at start-up for everything,
   * then every `SWEEP_EVERY_MS` for what is older than `olderThanMs`; job ids make it idempotent.
   */
  recover?(deps: WorkerDeps, opts?: { olderThanMs?: number }): Promise<void>;
}

