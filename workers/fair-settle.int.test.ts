import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FAIR_BASE_PRIORITY } from '../queue/index.js';
import { validId } from '../test/harness.js';
import { startChatStack, type ChatStack } from '../test/chat-stack.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';

/**
 * The workers tell the fair order when a photo is done: a station whose photos were all
 * checked is at the front again for its next one (else its count would only grow and its
 * later photos would wait behind every other station's for the rest of the session).
 */
describe('workers settle the fair order', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  it("puts a station's next photo at the front once its earlier ones are done", async () => {
    const { emu, env } = stack;
    env.store.stations.create({ stationNo: 'R01', contestantName: 'R', idNumber: validId() });
    const u = emu.user(8401, { languageCode: 'en' });
    env.store.users.upsert({ userId: u.id, chatId: u.id, lang: 'en' });
    env.store.users.bindStation(u.id, 'R01', 'contestant');
    env.store.users.setActiveCombo(u.id, '2');
    for (const seed of [81, 82]) {
      const p = await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['digital'], width: 640, height: 480 });
      await u.sendPhoto(p.jpeg);
      await u.nextMessage({ timeoutMs: 60_000 });
    }
    const photos = env.store.photos.list('R01');
    expect(photos).toHaveLength(2);
    for (const p of photos) expect(await stack.queues.waitForFinished('ingest', `ingest-${p.id}`)).toBe('completed');

    const id = await stack.jobs.enqueue('ingest', { stationNo: 'R01', photoId: 99_999, chatId: u.id, lang: 'en' });
    const job = await stack.queues.queue('ingest').getJob(id);
    expect(job?.priority).toBe(FAIR_BASE_PRIORITY);
    expect(await stack.queues.waitForFinished('ingest', id)).toBe('completed');
  });
});
