import { Queue, type JobsOptions } from 'bullmq';
import { isJobName, JOBS, TransientError, jobId, type JobName, type JobPayload, type QueueName, type TrainerDevice } from '../core/index.js';
import { Redis } from 'ioredis';
import { FAIR_KEY, fairPriority, fairSettle, pendingKey } from './fair.js';
import { advertiseTrainerDevice, liveTrainerDevices, withdrawTrainerDevice } from './trainer-devices.js';

export { FAIR_BASE_PRIORITY, FAIR_WINDOW_MS } from './fair.js';
export { createMetricsScraper, createProcessMetrics, metricsKey, QUEUE_STATES, startMetricsPush, STALE_AFTER_MS, type MetricsScraper, type ProcessMetrics, type ProcName } from './metrics.js';
export { createUpdateClaim, updateClaimKey, UPDATE_CLAIM_TTL_S, type UpdateClaim } from './update-claim.js';

/**
 * The one queue producer, used by bot, web and workers. It owns the retry and
 * retention policy of every job name, parses each payload with the job's schema before
 * it leaves (a bad payload is a bug here, not a puzzle in a worker) and builds the job
 * id from the registry's rule, so adding the same job twice is a no-op.
 */
export interface JobQueue {
  /** Adds a job; returns its id. Idempotent: a job with this id that still exists is kept. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: EnqueueOptions): Promise<string>;
  /**
   * Adds a job that the database says must run again (recovery sweeps, Retry buttons):
   * a finished (failed or completed) copy holding the same id is removed first, so the
   * photo or run always gets a live job. A waiting or active copy is left alone.
   */
  requeue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: EnqueueOptions): Promise<string>;
  /**
   * Tells the fair order that a job left for good (completed, or failed after its last
   * attempt): its station's later jobs move up. Called by the workers; a no-op for job
   * names that are not ordered fairly.
   */
  settle(name: string, jobId: string | undefined, payload: unknown): Promise<void>;
  /**
   * About how many jobs will start before this one: the plain wait list plus the
   * prioritized jobs ahead of it (one Redis script, priorities counted up to `maxPriority`).
   * Undefined when the job is not waiting. Cheap, but still a round trip or two: callers
   * on a chat's path bound it with a timeout.
   */
  jobsAhead<N extends JobName>(name: N, payload: JobPayload<N>, opts?: { maxPriority?: number }): Promise<number | undefined>;
  /** A training worker says which device it trains on, for `ttlMs` (refresh before it lapses); `undefined` withdraws it. */
  advertiseTrainer(workerId: string, device: TrainerDevice | undefined, ttlMs?: number): Promise<void>;
  /** The live training workers' devices, GPUs first (empty when none has said). */
  trainerDevices(): Promise<TrainerDevice[]>;
  close(): Promise<void>;
}

export interface EnqueueOptions {
  /** Milliseconds before the job may start (album debounce). */
  delay?: number;
  /**
   * BullMQ priority: lower runs first (a contestant's run 1, a background assist run 10).
   * Fair job names (queue/fair.ts) get theirs from their station's pending count unless set here.
   */
  priority?: number;
}

type Policy = Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'>;

const DAY_S = 24 * 3600;
const STANDARD: Policy = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: DAY_S, count: 5000 },
  removeOnFail: { age: 7 * DAY_S },
};

/**
 * Retry and retention per job name. Previews are cheap and stale fast; a training run
 * is long, so it gets fewer attempts. A failed job is kept a week for inspection; its
 * id is freed by `requeue` when the work must run again.
 */
export const JOB_POLICY: Record<JobName, Policy> = {
  ingest: STANDARD,
  'album-summary': STANDARD,
  preview: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: DAY_S },
  },
  train: { ...STANDARD, attempts: 3 },
  report: STANDARD,
  export: STANDARD,
  import: { ...STANDARD, attempts: 3 },
  check: { ...STANDARD, attempts: 3, removeOnComplete: { age: 3600, count: 1000 } },
  'review-photo': { ...STANDARD, attempts: 3, removeOnComplete: { age: 3600, count: 1000 } },
  predict: { ...STANDARD, attempts: 2, removeOnComplete: { age: 3600, count: 1000 } },
  // The guide answers now or not at all (a late answer to an old question confuses); its own
  // failures fall back to the offline guide inside the job, so a retry is for a lost worker.
  guide: { attempts: 2, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: DAY_S } },
  milestones: { ...STANDARD, attempts: 3, removeOnComplete: { age: 3600, count: 1000 } },
  'clock-check': { ...STANDARD, attempts: 3 },
};

export interface JobQueueOptions {
  redisUrl: string;
  prefix: string;
  /**
   * When set, an add that Redis has not taken within this many ms rejects with a
   * `TransientError` (ioredis still sends it once Redis is back; same job id, so at most
   * one job). The bot uses it: the photo row is already written and the workers' sweep
   * enqueues it later, so the user hears "checks are delayed" at once, not after a timeout.
   */
  failFastMs?: number;
  /** Called once per outage (not per reconnect attempt) with the first connection error. */
  onConnectionError?: (err: Error) => void;
  /** Fair order across stations (default on; off only to measure the difference). */
  fair?: boolean;
}

/** How long the bot lets an add wait for Redis before it goes on without it, in ms. */
export const FAIL_FAST_MS = 2000;

/** Rejects with a `TransientError` when `promise` has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransientError(`Redis did not accept the job within ${ms} ms; is it running? (/readyz on the web process says)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A BullMQ producer on `redisUrl` with the key `prefix` (one Queue per queue name, made on first use). */
export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const isFair = opts.fair ?? true;
  let redis: Redis | undefined;
  /** One plain client for the fair order's own keys, made on first use. */
  const client = (): Redis => {
    if (!redis) {
      redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
      // Its errors are the queue's own (Redis down): told once through onConnectionError, never thrown.
      redis.on('error', (err: Error) => {
        if (isDown) return;
        isDown = true;
        opts.onConnectionError?.(err);
      });
    }
    return redis;
  };
  const connection = { url: opts.redisUrl, maxRetriesPerRequest: null } as const;
  const queues = new Map<QueueName, Queue>();
  let isDown = false;
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix: opts.prefix });
      q.on('error', (err) => {
        if (isDown) return;
        isDown = true;
        opts.onConnectionError?.(err);
      });
      queues.set(name, q);
    }
    return q;
  };
  const enqueue = async <N extends JobName>(name: N, payload: JobPayload<N>, o: EnqueueOptions = {}): Promise<string> => {
    const job = JOBS[name];
    const data = job.schema.parse(payload) as JobPayload<N>;
    const id = jobId(name, data);
    const q = queue(job.queue);
    const fairKey = FAIR_KEY[name];
    const added = (async () => {
      const priority = o.priority ?? (isFair && fairKey ? await fairPriority(client(), pendingKey(opts.prefix, job.queue, fairKey(data as { stationNo: string })), id) : undefined);
      await q.add(name, data, {
        ...JOB_POLICY[name],
        jobId: id,
        ...(o.delay !== undefined ? { delay: o.delay } : {}),
        ...(priority !== undefined ? { priority } : {}),
      });
    })();
    if (opts.failFastMs === undefined) await added;
    else {
      added.catch(() => undefined); // settles later when it timed out; the sweep covers a loss
      await withTimeout(added, opts.failFastMs);
    }
    isDown = false;
    return id;
  };
  return {
    enqueue,
    async requeue(name, payload, o) {
      const q = queue(JOBS[name].queue);
      const existing = await q.getJob(jobId(name, JOBS[name].schema.parse(payload) as typeof payload));
      if (existing) {
        const state = await existing.getState();
        if (state === 'failed' || state === 'completed') await existing.remove();
      }
      return enqueue(name, payload, o);
    },
    async settle(name, id, payload) {
      if (!isJobName(name) || id === undefined) return;
      const fairKey = FAIR_KEY[name];
      const station = (payload as { stationNo?: unknown } | null)?.stationNo;
      if (fairKey && typeof station === 'string') await fairSettle(client(), pendingKey(opts.prefix, JOBS[name].queue, fairKey({ stationNo: station })), id);
    },
    async advertiseTrainer(workerId, device, ttlMs = 180_000) {
      if (device) await advertiseTrainerDevice(client(), opts.prefix, workerId, device, ttlMs);
      else await withdrawTrainerDevice(client(), opts.prefix, workerId);
    },
    trainerDevices: () => liveTrainerDevices(client(), opts.prefix),
    async jobsAhead(name, payload, o = {}) {
      const q = queue(JOBS[name].queue);
      const job = await q.getJob(jobId(name, JOBS[name].schema.parse(payload) as typeof payload));
      if (!job) return undefined;
      const state = await job.getState();
      if (state !== 'waiting' && state !== 'prioritized') return undefined;
      const mine = job.priority;
      const top = Math.min(mine, o.maxPriority ?? 64);
      const levels = Array.from({ length: top + 1 }, (_, i) => i);
      const counts = await q.getCountsPerPriority(levels);
      let ahead = 0;
      for (const p of levels) {
        const n = counts[String(p)] ?? 0;
        // Same priority: FIFO, and a job just added is the last of its level.
        ahead += p < mine ? n : Math.max(0, n - 1);
      }
      return ahead;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
export { createRateLimiter, type BucketRule, type RateLimiter, type TakeResult } from './rate-limit.js';
