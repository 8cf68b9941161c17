import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stationPaths } from '../../store/index.js';
import { until } from '../../test/processes.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { PRESETS } from '../../core/index.js';
import { maybeStartAssist } from '../../bot/flows/assist.js';
import { assistModelFor } from '../models.js';

/**
 * /train end to end with the REAL Python trainer (short runs): refusals, a run named
 * after the station with live progress, Stop keeping the best model, the TypeScript
 * evaluation of the exported ONNX model, /models.
 */
describe('training from the chat', () => {
  let stack: ChatStack;
  let emu: ChatStack['emu'];
  let env: ChatStack['env'];



  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'train', TRAINER_DEVICE: 'cpu' } });
    ({ emu, env } = stack);
    await seedConfirmedStation(env, 'T01', 6001, 12, '11010519900307123');
    await seedConfirmedStation(env, 'T02', 6002, 2, '11010519900307124');
  });

  afterAll(() => stack.close());

  it('refuses too few labels and out-of-range parameters, in the user’s language', async () => {
    const u = emu.user(6002, { languageCode: 'en' });
    await u.sendText('/train');
    const menu = await u.nextMessage();
    expect(menu.text).toContain('Confirmed labels: 2 photos');
    await u.press(/Balanced/);
    expect((await u.nextMessage()).text).toMatch(/at least 8 photos.*\nMissing: Pointer gauge \(normal\) 2\/8/s);
    await u.sendText('/train epochs=abc lr=5');
    expect((await u.nextMessage()).text).toBe(
      '2 parameter(s) to fix (nothing was started):\n• epochs=“abc” is invalid; allowed: 1–300\n• lr=“5” is invalid; allowed: 0.00001–1',
    );
    await u.sendText('/train colour=red');
    expect((await u.nextMessage()).text).toContain('Unknown parameter “colour”');
    expect(env.store.runs.list('T02')).toHaveLength(0);
  });

  it('trains a run named after the station, shows progress, stops on request with the best model, evaluates the ONNX model', async () => {
    const u = emu.user(6001, { languageCode: 'en' });
    await u.sendText('/train epochs=60 batch=4 time=120s val=0.25 aug=0 patience=0');
    const created = await u.nextMessage();
    expect(created.text).toContain('Run <b>T01-r1</b> created');
    await u.sendText('/train fast');
    expect((await u.nextMessage()).text).toContain('already has a run: <b>T01-r1</b>');

    const progress = await u.waitForMessage(created.message_id, (m) => /Epoch ([2-9]|\d\d+)\/\d+/.test(m.text ?? ''), { timeoutMs: 100_000 });
    expect(progress.text).toContain('Training <b>T01-r1</b> · cpu');
    await u.press('⏹ Stop training', { messageId: created.message_id });
    const done = await u.waitFor((m) => (m.text ?? '').includes('Training <b>T01-r1</b> finished'), { timeoutMs: 120_000 });
    expect(done.text).toContain('stopped as you asked; best model kept');
    expect(done.text).toMatch(/mAP@0\.5 <b>\d\.\d{3}<\/b>/);
    // The progress message says how the run ended: no time left, no Stop button.
    const ended = await u.waitForMessage(created.message_id, (m) => (m.text ?? '').includes('stopped as you asked'));
    expect(ended.text).not.toContain('left');
    expect(ended.text).toMatch(/Epoch \d+\/\d+ /);
    expect(ended.reply_markup).toBeUndefined();

    const run = env.store.runs.get('T01-r1');
    expect(run?.status).toBe('stopped');
    expect(typeof run?.metrics?.map50).toBe('number');
    expect(run?.metrics?.evaluatedImages).toBe(3);
    expect(existsSync(join(stationPaths(env.dataDir, 'T01').root, 'models', 'T01-r1.onnx'))).toBe(true);
    expect(existsSync(join(run?.dir ?? '', 'best.pt'))).toBe(true);

    await u.sendText('/models');
    const models = await u.waitFor((m) => (m.text ?? '').includes('<b>Models</b>'));
    expect(models.text).toMatch(/T01-r1<\/b> · stopped · mAP50 \d\.\d{3}/);
    await until(() => env.store.runs.active('T01') === undefined, 5000, 'no active run');
  });

  it('adopts an assist model only when it beats the current pre-labeler on the same val photos', async () => {
    const u = emu.user(6001, { languageCode: 'en' });
    const created = env.store.runs.create({ stationNo: 'T01', kind: 'assist', params: { ...PRESETS.assist, epochs: 3, timeBudgetS: 0 }, chatId: u.id });
    if (created.kind !== 'created') throw new Error('busy');
    await stack.jobs.enqueue('train', { stationNo: 'T01', runId: created.run.id, chatId: u.id, lang: 'en' }, { priority: 10 });
    const said = await u.waitFor((m) => (m.text ?? '').includes('assistant'), { timeoutMs: 150_000 });
    const run = env.store.runs.get(created.run.id);
    // The incumbent is the fixture model (one fixed box): a model fine-tuned from the base
    // checkpoint makes at least as many held-out photos one tap and a higher mAP.
    expect(run?.metrics?.adopted).toBe(true);
    const proposals = run?.metrics?.proposals as { photos: number; oneTap: number };
    const incumbent = run?.metrics?.incumbentProposals as { photos: number; oneTap: number };
    expect(proposals.photos).toBe(incumbent.photos);
    expect(proposals.oneTap).toBeGreaterThanOrEqual(incumbent.oneTap);
    expect(Number(run?.metrics?.map50_95)).toBeGreaterThan(Number(run?.metrics?.incumbentMap50_95));
    expect(said.text).toMatch(/got smarter! On \d held-out photo\(s\) its proposals were one tap on <b>\d<\/b> \(the current pre-labeler’s on \d\), mAP@0\.5:0\.95 \d\.\d{3}/);
  }, 200_000);

  it('after the third confirmed photo an assist run starts by itself, trains from the base checkpoint and is adopted when it wins', async () => {
    await seedConfirmedStation(env, 'T03', 6003, 3, '11010519900307125');
    const u = emu.user(6003, { languageCode: 'en' });
    const deps = { config: env.config, exam: env.exam, store: env.store, jobs: stack.jobs, log: stack.log, now: Date.now };
    // the trigger as the label flow calls it after a confirmation, with the assist preset on a tiny budget
    const id = await maybeStartAssist(deps, 'T03', u.id, 'en', { ...PRESETS.assist, epochs: 2, timeBudgetS: 0 });
    expect(id).toBe('T03-a1');
    const said = await u.waitFor((m) => (m.text ?? '').includes('assistant'), { timeoutMs: 150_000 });
    const run = env.store.runs.get('T03-a1');
    expect(run?.params).toMatchObject({ imgSize: PRESETS.assist.imgSize, epochs: 2 });
    expect(run?.metrics?.evaluatedImages).toBe(1); // judged on the one held-out photo, not on what it trained on
    expect(run?.metrics?.adopted).toBe(true);
    expect(said.text).toContain('got smarter');
    // the station's pre-labels now come from it
    expect(assistModelFor(env.store, 'T03', undefined)?.id).toBe('T03-a1');
  }, 200_000);
});
