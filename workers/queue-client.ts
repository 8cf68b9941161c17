import { Queue } from 'bullmq';
import type { QueueName } from '../core/index.js';

/** Producer side for workers (album summaries, recovery sweeps, follow-up jobs). */
export function createEnqueue(connection: { url: string; maxRetriesPerRequest: null }, prefix: string) {
  const queues = new Map<QueueName, Queue>();
  const get = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      queues.set(name, q);
    }
    return q;
  };
  return {
    async enqueue(queue: QueueName, name: string, data: unknown, opts: { jobId: string; delay?: number; priority?: number }) {
      await get(queue).add(name, data, {
        ...opts,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },
    close: () => Promise.all([...queues.values()].map((q) => q.close())).then(() => undefined),
  };
}
