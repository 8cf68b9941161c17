import { Queue, QueueEvents } from 'bullmq';
import { QUEUES, type QueueName } from '../core/index.js';

/**
 * Test helpers on the real queues of one prefix: wait for a job by its events (never a
 * sleep), add a raw job the producer would refuse to make (e.g. a duplicate under another
 * id), and remove everything a test left behind.
 */
export function testQueues(redisUrl: string, prefix: string) {
  const connection = { url: redisUrl, maxRetriesPerRequest: null } as const;
  const queues = new Map<QueueName, Queue>();
  const events = new Map<QueueName, QueueEvents>();
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection, prefix })));
    return q;
  };
  const queueEvents = async (name: QueueName): Promise<QueueEvents> => {
    let e = events.get(name);
    if (!e) {
      // Read the queue's event stream from its start: a QueueEvents reading from "now" ('$') can
      // miss an event emitted between `waitUntilReady` and its first blocking read (seen under load:
      // a job failed in that gap and the wait ran out although the job had finished).
      events.set(name, (e = new QueueEvents(name, { connection, prefix, lastEventId: '0-0' })));
      await e.waitUntilReady();
    }
    return e;
  };
  return {
    queue,
    /** Adds a raw job and waits until it has completed (or throws with its failure). */
    async addAndWait(name: QueueName, jobName: string, data: unknown, jobId: string): Promise<unknown> {
      const ev = await queueEvents(name);
      const job = await queue(name).add(jobName, data, { jobId });
      return job.waitUntilFinished(ev, 60_000);
    },
    /** Waits until the job with `jobId` has finished: `completed` or `failed` (after its last attempt). */
    async waitForFinished(name: QueueName, jobId: string, timeoutMs = 60_000): Promise<'completed' | 'failed'> {
      const ev = await queueEvents(name);
      const deadline = Date.now() + timeoutMs;
      // Subscribe first, then read the state, so an event between the two is not lost.
      const done = new Promise<'completed' | 'failed'>((resolve) => {
        const onCompleted = ({ jobId: id }: { jobId: string }) => id === jobId && finish('completed');
        const onFailed = ({ jobId: id }: { jobId: string }) => id === jobId && finish('failed');
        const finish = (s: 'completed' | 'failed') => {
          ev.off('completed', onCompleted);
          ev.off('failed', onFailed);
          resolve(s);
        };
        ev.on('completed', onCompleted);
        ev.on('failed', onFailed);
        void queue(name)
          .getJobState(jobId)
          .then((s) => {
            if (s === 'completed' || s === 'failed') finish(s);
          });
      });
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`job ${jobId} did not finish in ${timeoutMs} ms`)), Math.max(0, deadline - Date.now())).unref());
      return Promise.race([done, timeout]);
    },
    /** Removes every queue of this prefix from Redis and closes the connections. */
    async obliterate(): Promise<void> {
      for (const name of Object.values(QUEUES)) await queue(name).obliterate({ force: true });
      await Promise.all([...events.values()].map((e) => e.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
