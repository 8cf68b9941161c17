import type { TestProject } from 'vitest/node';
import { resolveRedis, type LocalRedis } from '../scripts/redis-local.js';

/**
 * Integration tests need a real Redis: REDIS_URL, else 127.0.0.1:6379, else a
 * redis-server this setup starts (and stops). No Redis at all fails the run.
 * Tests read it with `inject('redisUrl')` and use their own queue prefix.
 */
let local: LocalRedis | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const found = await resolveRedis({ url: process.env.REDIS_URL, tryDefault: true });
  local = found.local;
  project.provide('redisUrl', found.url);
  return async () => {
    await local?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
