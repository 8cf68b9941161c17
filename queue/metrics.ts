import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { QUEUES, type QueueName } from '../core/index.js';

/**
 * Prometheus metrics of every process, served by the web process's `/metrics`.
 *
 * Each process has its own prom-client registry. The bot and the workers **push** theirs
 * through Redis (one hash field per process, JSON, every `METRICS_PUSH_MS`); the web
 * process merges them with its own at scrape time and reads the queue depths from Redis
 * then. Why push and not a port per process: bot replicas behind a load balancer and
 * workers on GPU hosts share Redis already, while a port per replica would need service
 * discovery in Prometheus and a hole in each host's firewall; one scrape target sees
 * them all. A process that stops pushing drops out after `STALE_AFTER_MS` (its counters
 * restart from zero when it comes back; Prometheus's `rate()` handles that as a reset).
 * Every sample carries `proc` and `instance` labels, so nothing of two replicas is summed
 * away.
 */

export type ProcName = 'bot' | 'workers' | 'web';

/** The metrics one process records. */
export interface ProcessMetrics {
  readonly registry: Registry;
  readonly instance: string;
  /** Seconds a job ran in a worker, by queue, job name and outcome (`completed` / `failed`). */
  readonly jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  /** Seconds from an update's arrival at the bot to its first reply call (message, edit, toast). */
  readonly replyLatency: Histogram<'kind'>;
  /** Updates the bot received, by outcome: `handled`, or `duplicate` (claimed before). */
  readonly updates: Counter<'outcome'>;
  /** Photo verdicts recorded by the ingest worker: `accepted`, or `rejected` with its reason. */
  readonly ingestVerdicts: Counter<'verdict' | 'reason'>;
}

const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800];
const REPLY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/** A fresh registry for `proc`, with process defaults (CPU, memory, event-loop lag) under `copilot_`. */
export function createProcessMetrics(proc: ProcName, instance = `${proc}-${hostname()}-${process.pid}`): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ proc, instance });
  collectDefaultMetrics({ register: registry, prefix: 'copilot_' });
  return {
    registry,
    instance,
    jobDuration: new Histogram({ name: 'copilot_job_duration_seconds', help: 'Seconds a job ran in a worker, by queue, job name and outcome', labelNames: ['queue', 'job', 'outcome'], buckets: JOB_BUCKETS, registers: [registry] }),
    replyLatency: new Histogram({ name: 'copilot_bot_reply_seconds', help: 'Seconds from an update reaching the bot to its first reply call, by update kind', labelNames: ['kind'], buckets: REPLY_BUCKETS, registers: [registry] }),
    updates: new Counter({ name: 'copilot_bot_updates_total', help: 'Updates the bot received, by outcome (handled, duplicate)', labelNames: ['outcome'], registers: [registry] }),
    ingestVerdicts: new Counter({ name: 'copilot_ingest_verdicts_total', help: 'Photo verdicts of the ingest worker, by verdict and reject reason', labelNames: ['verdict', 'reason'], registers: [registry] }),
  };
}

/** The Redis hash holding every process's pushed metrics. */
export const metricsKey = (prefix: string): string => `${prefix}:metrics`;
/** A pushed registry older than this is left out of the scrape (and removed). */
export const STALE_AFTER_MS = 60_000;

interface Pushed {
  at: number;
  metrics: MetricObjectWithValues<MetricValue<string>>[];
}

/**
 * Pushes `metrics` to Redis now and every `everyMs`; `close()` pushes a last time and
 * stops. A failed push (Redis down) is skipped quietly: the next one carries the totals.
 */
export function startMetricsPush(metrics: ProcessMetrics, opts: { redisUrl: string; prefix: string; everyMs: number }): { push(): Promise<void>; close(): Promise<void> } {
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => undefined);
  const key = metricsKey(opts.prefix);
  const push = async (): Promise<void> => {
    const body: Pushed = { at: Date.now(), metrics: (await metrics.registry.getMetricsAsJSON()) as Pushed['metrics'] };
    // The hash lives an hour past the last push of any process, so a deployment taken down leaves nothing behind.
    await redis.multi().hset(key, metrics.instance, JSON.stringify(body)).expire(key, 3600).exec();
  };
  const timer = setInterval(() => void push().catch(() => undefined), opts.everyMs);
  timer.unref();
  void push().catch(() => undefined);
  return {
    push,
    async close() {
      clearInterval(timer);
      await push().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Job states reported per queue; `waiting` includes BullMQ's prioritized list. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The web process's scrape: its own registry (with queue depths read from Redis now and
 * whatever `extra` gauges it registered) merged with every fresh pushed registry.
 */
export interface MetricsScraper {
  readonly metrics: ProcessMetrics;
  /** Prometheus text format. */
  scrape(): Promise<string>;
  readonly contentType: string;
  close(): Promise<void>;
}

export function createMetricsScraper(opts: { redisUrl: string | undefined; prefix: string; metrics?: ProcessMetrics; now?: () => number }): MetricsScraper {
  const metrics = opts.metrics ?? createProcessMetrics('web');
  const now = opts.now ?? Date.now;
  const redis = opts.redisUrl ? new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false }) : undefined;
  redis?.on('error', () => undefined);
  const connection = opts.redisUrl ? ({ url: opts.redisUrl, maxRetriesPerRequest: 1 } as const) : undefined;
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: connection!, prefix: opts.prefix });
      q.on('error', () => undefined);
      queues.set(name, q);
    }
    return q;
  };
  const up = new Gauge({ name: 'copilot_redis_up', help: 'Whether Redis answered the last scrape (1) or not (0)', registers: [metrics.registry] });
  const depths = new Gauge({ name: 'copilot_queue_jobs', help: 'Jobs per queue and state, read from Redis at scrape time (waiting includes prioritized)', labelNames: ['queue', 'state'], registers: [metrics.registry] });
  /** Reads every queue's counts now; on failure the depths are left out and `copilot_redis_up` is 0. */
  const readQueues = async (): Promise<void> => {
    depths.reset();
    if (!connection) return void up.set(0);
    try {
      for (const name of Object.values(QUEUES)) {
        const c = await queue(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        depths.set({ queue: name, state: 'waiting' }, (c.waiting ?? 0) + (c.prioritized ?? 0));
        for (const s of ['active', 'delayed', 'failed'] as const) depths.set({ queue: name, state: s }, c[s] ?? 0);
      }
      up.set(1);
    } catch {
      depths.reset();
      up.set(0);
    }
  };
  return {
    metrics,
    contentType: metrics.registry.contentType,
    async scrape() {
      await readQueues();
      const own = (await metrics.registry.getMetricsAsJSON()) as Pushed['metrics'];
      const all = [own];
      if (redis) {
        const key = metricsKey(opts.prefix);
        const fields = await redis.hgetall(key).catch(() => ({}) as Record<string, string>);
        for (const [instance, raw] of Object.entries(fields)) {
          try {
            const pushed = JSON.parse(raw) as Pushed;
            if (now() - pushed.at > STALE_AFTER_MS) {
              await redis.hdel(key, instance).catch(() => undefined);
              continue;
            }
            all.push(pushed.metrics);
          } catch {
            await redis.hdel(key, instance).catch(() => undefined);
          }
        }
      }
      // Each registry's samples carry their own proc/instance labels, so aggregating sums nothing away.
      return AggregatorRegistry.aggregate(all).metrics();
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
