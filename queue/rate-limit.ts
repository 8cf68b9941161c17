import { Redis } from 'ioredis';

/**
 * Per-user token buckets in Redis, so a limit holds across bot replicas (issue 16 point 2).
 * One hash per user and bucket (`<prefix>:rate:<bucket>:<user>`: tokens, last refill in ms,
 * whether the user was already told); one Lua script refills and takes a token atomically,
 * on Redis's own clock (`TIME`), so replicas with skewed clocks agree.
 */

/** A bucket's size and refill. */
export interface BucketRule {
  /** Most tokens the bucket holds: how many can be spent at once. */
  burst: number;
  /** Tokens added per minute. */
  perMinute: number;
}

/** What a take says. `firstDenied`: the first refusal since the last allowed take (tell the user once, not every time). */
export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number; firstDenied: boolean };

export interface RateLimiter {
  /** Takes one token from `user`'s `bucket`. Fails open (allowed) when Redis does not answer in time. */
  take(bucket: string, user: number): Promise<TakeResult>;
  close(): Promise<void>;
}

const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 60000
local h = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'told')
local tokens = tonumber(h[1]) or burst
local at = tonumber(h[2]) or now
local told = tonumber(h[3]) or 0
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local ttl = math.ceil(burst / perMs) + 1000
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', now, 'told', 0)
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {1, 0, 0}
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now, 'told', 1)
redis.call('PEXPIRE', KEYS[1], ttl)
return {0, math.ceil((1 - tokens) / perMs), told == 0 and 1 or 0}
`;

export function createRateLimiter(opts: {
  redisUrl: string;
  prefix: string;
  rules: Record<string, BucketRule>;
  /** How long a take may wait for Redis before it is let through (ms). */
  timeoutMs?: number;
  onError?: (err: unknown) => void;
}): RateLimiter {
  // Commands wait for the connection (the first takes come right after start-up); the timeout below bounds the wait.
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => undefined);
  const timeoutMs = opts.timeoutMs ?? 250;
  return {
    async take(bucket, user) {
      const rule = opts.rules[bucket];
      if (!rule) throw new Error(`rate limit: no rule for bucket ${JSON.stringify(bucket)}; add it to the limiter's rules`);
      // Redis known to be down: no wait at all (the bot's own answer must not slow down).
      if (redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end') return { allowed: true };
      let timer: NodeJS.Timeout | undefined;
      try {
        const reply = await Promise.race([
          redis.eval(TAKE, 1, `${opts.prefix}:rate:${bucket}:${user}`, rule.burst, rule.perMinute) as Promise<[number, number, number]>,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`rate limit: Redis did not answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        const [ok, retryAfterMs, first] = reply;
        return ok === 1 ? { allowed: true } : { allowed: false, retryAfterMs, firstDenied: first === 1 };
      } catch (err) {
        // A limit must never become an outage: with Redis down the bot keeps answering.
        opts.onError?.(err);
        return { allowed: true };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
