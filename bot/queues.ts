import { Queue } from 'bullmq';
import { jobSchemas, QUEUES, type JobPayload, type QueueName } from '../core/index.js';

/** What the bot may do with queues: add jobs. Payloads are validated before they leave. */
export interface JobProducer {
  add<Q extends QueueName>(queue: Q, payload: JobPayload<Q>, opts: { jobId: string; priority?: number }): Promise<void>;
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
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
