import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../test/harness.js';
import { advertiseTrainerDevice, liveTrainerDevices, trainerDevicesKey } from './trainer-devices.js';

describe('training workers advertise their device', () => {
  const redis = new Redis(inject('redisUrl'));
  const prefix = testPrefix();
  afterAll(async () => {
    await redis.del(trainerDevicesKey(prefix));
    await redis.quit();
  });

  it('lists live workers GPU first, and drops lapsed and unreadable entries', async () => {
    const cpu = { kind: 'cpu' as const, name: '2 CPU cores', torch: '1.13.0', memoryGiB: null, concurrency: 1 };
    const gpu = { kind: 'cuda' as const, name: 'NVIDIA H200', torch: '2.5.1', memoryGiB: 139.8, concurrency: 2 };
    await advertiseTrainerDevice(redis, prefix, 'host-a:1', cpu, 60_000);
    await advertiseTrainerDevice(redis, prefix, 'host-b:1', gpu, 60_000);
    await advertiseTrainerDevice(redis, prefix, 'host-c:1', gpu, -1);
    await redis.hset(trainerDevicesKey(prefix), 'host-d:1', '{not json');
    expect(await liveTrainerDevices(redis, prefix)).toEqual([gpu, cpu]);
    expect(Object.keys(await redis.hgetall(trainerDevicesKey(prefix))).sort()).toEqual(['host-a:1', 'host-b:1']);
  });
});
