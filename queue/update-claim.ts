import { Redis } from 'ioredis';

/**
 * "Handle this Telegram update once" across bot replicas. In webhook mode several
 * replicas behind a load balancer receive updates, and Telegram redelivers one whose post
 * was not answered 200 in time — possibly to another replica. Each replica claims the
 * update with one atomic `SET key 1 NX EX ttl` on the shared Redis; only the replica whose
 * SET succeeded handles it. The key holds the update's id and identity (no text), so an id
 * reused by a Bot API server started afresh is a new update. Telegram keeps undelivered
 * updates for 24 h, so the claim lasts 48 h.
 */
export interface UpdateClaim {
  /** True when this caller is the first to claim the update; throws when Redis cannot answer. */
  claim(updateId: number, identity: string): Promise<boolean>;
  close(): Promise<void>;
}

export const UPDATE_CLAIM_TTL_S = 48 * 3600;

export const updateClaimKey = (prefix: string, updateId: number, identity: string): string => `${prefix}:update:${updateId}:${identity}`;

export function createUpdateClaim(opts: { redisUrl: string; prefix: string; ttlS?: number }): UpdateClaim {
  // One retry at most: a claim that cannot be made is answered by the caller's fallback, not by waiting.
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => undefined);
  return {
    async claim(updateId, identity) {
      const r = await redis.set(updateClaimKey(opts.prefix, updateId, identity), '1', 'EX', opts.ttlS ?? UPDATE_CLAIM_TTL_S, 'NX');
      return r === 'OK';
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
