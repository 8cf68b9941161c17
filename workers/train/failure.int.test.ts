import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PRESETS } from '../../core/index.js';
import { stationPaths } from '../../store/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { seedConfirmedStation } from '../../test/seed.js';

/**
 * A train job that fails every attempt (the station's runs/ folder is a file, so no run
 * folder can be made): the run is marked failed, the station is no longer busy, and the
 * chat's Retry button starts a new run with the same parameters (which, with the cause
 * still there, fails and is told the same way).
 */
describe('a train job that fails for good', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'train', TRAINER_DEVICE: 'cpu' } });
  });
  afterAll(() => stack.close());

  it('marks the run failed, frees the station, and Retry starts the same parameters again', async () => {
    const { emu, env, jobs, queues } = stack;
    await seedConfirmedStation(env, 'R01', 8201, 10, '11010519900307123');
    const u = emu.user(8201, { languageCode: 'en' });
    const runs = stationPaths(env.dataDir, 'R01').runs;
    mkdirSync(stationPaths(env.dataDir, 'R01').root, { recursive: true });
    rmSync(runs, { recursive: true, force: true });
    writeFileSync(runs, 'not a folder');

    const params = { ...PRESETS.fast, epochs: 1, batch: 4, timeBudgetS: 0 };
    const created = env.store.runs.create({ stationNo: 'R01', kind: 'train', params, chatId: u.id });
    if (created.kind !== 'created') throw new Error('busy');
    const run = created.run;
    await jobs.enqueue('train', { stationNo: 'R01', runId: run.id, chatId: u.id, lang: 'en' });
    expect(await queues.waitForFinished('train', `train-${run.id}`)).toBe('failed');

    const told = await u.waitFor((m) => (m.text ?? '').includes(`Training <b>${run.id}</b> failed`), { timeoutMs: 30_000 });
    expect(told.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['🔁 Retry']);
    expect(env.store.runs.get(run.id)?.status).toBe('failed');
    expect(env.store.runs.active('R01')).toBeUndefined();

    await u.press('🔁 Retry', { messageId: told.message_id });
    const started = await u.waitFor((m) => /Run <b>R01-r2<\/b> created/.test(m.text ?? ''));
    expect(started.text).toContain('1 epochs');
    const again = env.store.runs.get('R01-r2');
    expect(again?.params).toEqual(run.params);
    // The cause is still there (runs/ is a file), so the new run fails the same way and is told too.
    expect(await queues.waitForFinished('train', 'train-R01-r2')).toBe('failed');
    await u.waitFor((m) => (m.text ?? '').includes('Training <b>R01-r2</b> failed'), { timeoutMs: 30_000 });
    expect(env.store.runs.get('R01-r2')?.status).toBe('failed');
    rmSync(runs);
  }, 120_000);
});
