import { afterAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, testEnv, testPrefix } from '../../test/harness.js';
import { advertiseTrainerDevice } from './device-advert.js';

/** Issue 18: a training worker asks torch which device it has and advertises it until it stops. */
describe('training device advertisement', () => {
  const env = testEnv({ TRAINER_DEVICE: 'cpu', TRAIN_CONCURRENCY: '2' });
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const { log } = memoryLogger('workers');
  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('probes torch with TRAINER_DEVICE, advertises the answer and withdraws it on stop', async () => {
    const advert = advertiseTrainerDevice({ config: env.config, jobs, log });
    const device = await advert.ready;
    expect(device).toMatchObject({ kind: 'cpu', memoryGiB: null, concurrency: 2 });
    expect(device?.torch).toMatch(/^\d+\.\d+/);
    expect(await jobs.trainerDevices()).toEqual([device]);
    await advert.stop();
    expect(await jobs.trainerDevices()).toEqual([]);
  });

  it('advertises nothing when the probe fails, and says why in the log', async () => {
    const bad = testEnv({ TRAINER_PYTHON: '/nonexistent/python3' });
    const { log: badLog, lines } = memoryLogger('workers');
    const advert = advertiseTrainerDevice({ config: bad.config, jobs, log: badLog });
    expect(await advert.ready).toBeUndefined();
    expect(await jobs.trainerDevices()).toEqual([]);
    expect(lines.join('\n')).toContain('could not probe the training device');
    await advert.stop();
    bad.cleanup();
  });
});
