import type { Redis } from 'ioredis';
import type { JobName } from '../core/index.js';

/**
 * Fair order across stations on BullMQ's open-source edition (groups are BullMQ Pro).
 * Each fair job gets a priority equal to its place among its station's pending jobs, so
 * a station's 10th photo waits behind every other station's 1st (BullMQ runs the lowest
 * priority first, FIFO within one priority). Jobs without a priority (previews, album
 * summaries) sit in BullMQ's plain wait list, which is always served before prioritized
 * jobs: they are never starved by a burst of photos.
 *
 * The pending set is a Redis sorted set per station (member: job id, score: time added),
 * so re-adding the same id counts once. The worker removes the id when the job completes
 * or fails for good; members older than `FAIR_WINDOW_MS` are dropped on every add, so a
 * crash between the two steps cannot skew a station's order for long.
 */

/** Which job names are ordered fairly, and the key (station) they are fair across. */
export const FAIR_KEY: Partial<Record<JobName, (payload: { stationNo: string }) => string>> = {
  ingest: (p) => p.stationNo,
};

/** A pending member older than this is taken for a leftover of a crash and dropped. */
export const FAIR_WINDOW_MS = 30 * 60_000;

/** The first fair priority (1 is kept free for anything that must beat every photo). */
export const FAIR_BASE_PRIORITY = 2;

/** BullMQ's largest priority (2^21). */
const MAX_PRIORITY = 2_097_152;

/** The pending set of one queue's `group` (a station), beside BullMQ's own keys. */
export function pendingKey(prefix: string, queueName: string, group: string): string {
  return `${prefix}:${queueName}:fair:${group}`;
}

/**
 * Records `jobId` as pending in `key` and returns the priority the job gets:
 * FAIR_BASE_PRIORITY for the group's first pending job, one more for each further one.
 * Atomic (MULTI), idempotent for the same id.
 */
export async function fairPriority(redis: Redis, key: string, jobId: string, now = Date.now()): Promise<number> {
  const res = await redis
    .multi()
    .zremrangebyscore(key, '-inf', now - FAIR_WINDOW_MS)
    .zadd(key, 'NX', now, jobId)
    .zrank(key, jobId)
    .pexpire(key, FAIR_WINDOW_MS)
    .exec();
  const rank = res?.[2]?.[1];
  const place = typeof rank === 'number' ? rank : 0;
  return Math.min(MAX_PRIORITY, FAIR_BASE_PRIORITY + place);
}

/** Forgets `jobId` as pending in `key` (its job completed or failed for good). */
export async function fairSettle(redis: Redis, key: string, jobId: string): Promise<void> {
  await redis.zrem(key, jobId);
}
