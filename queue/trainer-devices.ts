import type { Redis } from 'ioredis';
import { trainerDeviceSchema, type TrainerDevice } from '../core/index.js';

/**
 * Training workers advertise their device in one Redis hash (`<prefix>:trainer-devices`,
 * field = worker id, value = `{ device, until }`), refreshed while they run; an entry
 * past its `until` is a worker that stopped and is ignored (and pruned).
 */

export const trainerDevicesKey = (prefix: string): string => `${prefix}:trainer-devices`;

export async function advertiseTrainerDevice(redis: Redis, prefix: string, workerId: string, device: TrainerDevice, ttlMs: number, now = Date.now()): Promise<void> {
  await redis.hset(trainerDevicesKey(prefix), workerId, JSON.stringify({ device, until: now + ttlMs }));
}

export async function withdrawTrainerDevice(redis: Redis, prefix: string, workerId: string): Promise<void> {
  await redis.hdel(trainerDevicesKey(prefix), workerId);
}

/** The live training workers' devices, GPUs first. */
export async function liveTrainerDevices(redis: Redis, prefix: string, now = Date.now()): Promise<TrainerDevice[]> {
  const all = await redis.hgetall(trainerDevicesKey(prefix));
  const live: TrainerDevice[] = [];
  const stale: string[] = [];
  for (const [worker, raw] of Object.entries(all)) {
    let entry: { device?: unknown; until?: unknown } | undefined;
    try {
      entry = JSON.parse(raw) as { device?: unknown; until?: unknown };
    } catch {
      entry = undefined;
    }
    const device = trainerDeviceSchema.safeParse(entry?.device);
    if (!device.success || typeof entry?.until !== 'number' || entry.until < now) stale.push(worker);
    else live.push(device.data);
  }
  if (stale.length) await redis.hdel(trainerDevicesKey(prefix), ...stale);
  return live.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'cuda' ? -1 : 1));
}
