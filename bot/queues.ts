import { Queue } from 'bullmq';
import { jobSchemas, PREVIEW_JOB, previewJobSchema, QUEUES, type JobPayload, type PreviewJob, type QueueName } from '../core/index.js';

/** What the bot may do with queues: add jobs. Payloads are validated before they leave. */
export interface JobProducer {
  add<Q extends QueueName>(queue: Q, payload: JobPayload<Q>, opts: { jobId: string; priority?: number }): Promise<void>;
  /** Re-render a photo's preview (after its boxes changed) or send it anew (/label). */
  preview(payload: PreviewJob, version: number): Promise<void>;
  close(): Promise<void>;
}

/** BullMQ producer on `redisUrl` with the key `prefix`. */
export function createJobProducer(redisUrl: string, prefix: string): JobProducer {
  const connection = { url: redisUrl, maxRetriesPerRequest: null } as const;
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      queues.set(name, q);
    }
    return q;
  };
  return {
    async add(name, payload, opts) {
      const data = jobSchemas[name].parse(payload);
      await queue(name).add(name, data, {
        jobId: opts.jobId,
        priority: opts.priority,
        attempts: name === QUEUES.train ? 3 : 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
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
