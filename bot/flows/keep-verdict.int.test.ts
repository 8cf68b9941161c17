import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { encodeCallback } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { stationPaths } from '../../store/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { createBot } from '../app.js';
import { testQueues } from '../../test/queues.js';
import { recordBot } from '../recorded-bot.js';

/** Issue 11 point 8: after "keep anyway" the verdict message says the photo was kept, not "rejected". */
describe('keep anyway', () => {
  const env = testEnv();
  const prefix = testPrefix();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
  const { log } = memoryLogger('bot');
  const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now }));
  env.store.stations.create({ stationNo: 'K01', contestantName: 'Wang', idNumber: validId() });
  env.store.users.upsert({ userId: 9301, chatId: 9301, lang: 'en' });
  env.store.users.bindStation(9301, 'K01', 'contestant');

  afterAll(async () => {
    await jobs.close();
    await testQueues(inject('redisUrl'), prefix).obliterate();
    env.cleanup();
  });

  it('edits the verdict to say the photo was kept, and removes its button', async () => {
    const dir = stationPaths(env.dataDir, 'K01').rejected;
    mkdirSync(dir, { recursive: true });
    mkdirSync(stationPaths(env.dataDir, 'K01').images, { recursive: true });
    const { photo } = env.store.photos.receive({ stationNo: 'K01', tgFileId: 'f1', tgFileUniqueId: 'u1', source: 'photo', mediaGroupId: null, chatId: 9301, messageId: 1, combo: '0' });
    const path = join(dir, `${photo.id}.jpg`);
    writeFileSync(path, 'jpeg');
    env.store.photos.complete(photo.id, {
      sha256: 'k1', phash: null, format: 'jpeg', width: 640, height: 480, sharpness: 300, meanLuma: 120, darkFraction: 0, brightFraction: 0,
      rawPath: path, imagePath: path, status: 'rejected', rejectReason: 'blurry', rejectDetail: null, duplicateOf: null,
    });
    const before = rec.calls.length;
    await rec.press(9301, encodeCallback('cr', photo.id));
    expect(env.store.photos.get(photo.id)?.status).not.toBe('rejected');
    const edit = rec.calls.slice(before).find((c) => c.method === 'editMessageText');
    expect(edit?.payload.text).toMatch(new RegExp(`^↩ Photo #${photo.id} kept \\(it was rejected: `));
    expect(edit?.payload.reply_markup).toBeUndefined();
  });
});
