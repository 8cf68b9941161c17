import { afterAll, describe, expect, inject, it } from 'vitest';
import { encodeCallback, presetFor } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

/** Issue 18 point 3: /train says which device a run will use and how long it should take, and picks the presets for it. */
describe('/train on the advertised training device', () => {
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const { log } = memoryLogger('bot');
  const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now }));

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('assumes the CPU and says so when no training worker has reported, with the bench’s estimate', async () => {
    await seedConfirmedStation(env, 'D01', 9301, 10, '11010519900307123');
    await rec.send(9301, '/train');
    const menu = rec.told().at(-1) ?? '';
    expect(menu).toContain('no training worker has reported yet');
    // Fewer photos confirmed than the plan's 100: the estimate is for the plan (80 train images ×
    // 80 epochs at the bench CPU's 9.3 images/s ≈ 11.5 min), so the balanced run uses its whole budget.
    expect(menu).toMatch(/• balanced: 320 px · 80 · the whole 10 min time budget/);
    expect(menu).toMatch(/• fast: 320 px · 40 · the whole 5 min time budget/);
  });

  it('uses a GPU’s presets once a GPU worker has said so, and estimates from a finished GPU run', async () => {
    await jobs.advertiseTrainer('gpu-host:1', { kind: 'cuda', name: 'NVIDIA H200', torch: '2.5.1', memoryGiB: 139.8, concurrency: 1 });
    await rec.send(9301, '/train');
    const menu = rec.told().at(-1) ?? '';
    expect(menu).toContain('Device: GPU NVIDIA H200 · 139.8 GiB (torch 2.5.1)');
    // No GPU run has finished here yet: no invented figure, only the budget.
    expect(menu).toMatch(/• accurate: 640 px · 160 · within the 15 min time budget/);

    // A finished GPU run gives the measured speed.
    const done = env.store.runs.create({ stationNo: 'D01', kind: 'assist', params: { ...presetFor('assist', 'cuda') }, chatId: 9301 });
    if (done.kind !== 'created') throw new Error('seed failed');
    env.store.runs.update(done.run.id, { status: 'completed', progress: { device: 'cuda', imagesPerS: 300 }, finishedAt: Date.now() });

    await rec.press(9301, encodeCallback('tp', 'balanced'));
    const run = env.store.runs.active('D01');
    expect(run?.params).toMatchObject({ imgSize: presetFor('balanced', 'cuda').imgSize, epochs: presetFor('balanced', 'cuda').epochs });
    const started = rec.told().at(-1) ?? '';
    expect(started).toContain(`Run <b>${run?.id}</b> created`);
    expect(started).toMatch(/Device: GPU NVIDIA H200.*· about 1 min/s);
    await jobs.advertiseTrainer('gpu-host:1', undefined);
  });
});
