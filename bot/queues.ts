import { Queue } from 'bullmq';
import { TransientError, jobSchemas, PREVIEW_JOB, previewJobSchema, QUEUES, type JobPayload, type PreviewJob, type QueueName } from '../core/index.js';

/** What the bot may do with queues: add jobs. Payloads are validated before they leave. */
export interface JobProducer {
  add<Q extends QueueName>(queue: Q, payload: JobPayload<Q>, opts: { jobId: string; priority?: number }): Promise<void>;
  /** Re-render a photo's preview (after its boxes changed) or send it anew (/label). */
  preview(payload: PreviewJob, version: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long an add may wait for Redis before the handler goes on without it, in ms. The
 * photo row is already written and the workers' sweep enqueues it later, so a chat
 * user hears "checks are delayed" at once instead of an apology after telegraf's timeout.
 */
export const ADD_TIMEOUT_MS = 2000;

/** Rejects with a `TransientError` when `promise` has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransientError(`Redis did not accept the job within ${ms} ms; is it running? (/readyz on the web process says)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * BullMQ producer on `redisUrl` with the key `prefix`. An add that Redis does not take
 * within `addTimeoutMs` rejects; ioredis still sends it once Redis is back (same job id,
 * so at most one job), and connection errors are reported once per outage, not per retry.
 */
export function createJobProducer(
  redisUrl: string,
  prefix: string,
  opts: { addTimeoutMs?: number; onConnectionError?: (err: Error) => void } = {},
): JobProducer {
  const addTimeoutMs = opts.addTimeoutMs ?? ADD_TIMEOUT_MS;
  const connection = { url: redisUrl, maxRetriesPerRequest: null } as const;
  let isDown = false;
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      q.on('error', (err) => {
        if (isDown) return;
        isDown = true;
        opts.onConnectionError?.(err);
      });
      queues.set(name, q);
    }
    return q;
  };
  return {
    async add(name, payload, opts) {
      const data = jobSchemas[name].parse(payload);
      const added = queue(name).add(name, data, {
        jobId: opts.jobId,
        priority: opts.priority,
        attempts: name === QUEUES.train ? 3 : 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      added.catch(() => undefined); // settled later when it timed out; the sweep covers a loss
      await withTimeout(added, addTimeoutMs);
      isDown = false;
    },
    async preview(payload, version) {
      const data = previewJobSchema.parse(payload);
      await queue(QUEUES.ingest).add(PREVIEW_JOB, data, {
        jobId: `preview-${data.photoId}-v${version}-${data.mode}-${Date.now()}`,
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 24 * 3600 },
      });
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
