import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../core/index.js';
import { blobStoreFromConfig, stationPaths, type BlobStore } from '../store/index.js';
import { startChatStack, type ChatStack } from '../test/chat-stack.js';
import { memoryLogger, tempDataDir, validId } from '../test/harness.js';
import { writeThrough } from './blob-sync.js';
import { startS3rver } from '../test/s3rver.js';
import { seedConfirmedStation } from '../test/seed.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';

/**
 * Write-through with S3 configured, through the chat: the bot on the emulator, real Redis, the
 * real ingest, report and export workers, and a real s3rver process. Accepted photos, reports,
 * dataset exports and hand-in zips land in the bucket under their DATA_DIR-relative keys, byte
 * for byte; rejected photos stay local.
 */
const server = await startS3rver('copilot-wt');

describe.skipIf(!server)('write-through to the object store (s3rver)', () => {
  let stack: ChatStack;
  let blobs: BlobStore;

  beforeAll(async () => {
    stack = await startChatStack({
      redisUrl: inject('redisUrl'),
      baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'),
      env: { WORKER_QUEUES: 'ingest,report,export', ...(server?.env ?? {}) },
    });
    blobs = blobStoreFromConfig(loadConfig({ ...(server?.env ?? {}) })) as BlobStore;
  });
  afterAll(async () => {
    await stack.close();
    await server?.stop();
  });

  const inBucket = async (key: string, local: string): Promise<void> => {
    const got = await blobs.getBuffer(key);
    expect(got, `${key} in the bucket`).toBeDefined();
    expect(got?.equals(readFileSync(local)), `${key} equals ${local}`).toBe(true);
  };

  it('an accepted photo and its original are in the bucket; a rejected duplicate is not', async () => {
    const u = stack.emu.user(8101, { languageCode: 'en' });
    for (const [text, reply] of [['/start', /station/i], ['S01', /name/i], ['Tester', /ID/], [validId('11010519900307321'), /confirm/i]] as const) {
      await u.sendText(text);
      expect((await u.nextMessage()).text).toMatch(reply);
    }
    await u.press(/Confirm/);
    await u.waitFor((m) => /Registered/.test(m.text ?? ''));
    await u.sendText('/capture');
    await u.nextMessage();
    const jpeg = (await renderRigPhoto({ seed: 41, classes: DEFAULT_CLASSES, combo: ['gauge_normal'], width: 1024, height: 768 })).jpeg;
    await u.sendPhoto(jpeg);
    expect((await u.nextMessage({ timeoutMs: 30_000 })).caption).toContain('total 1/100');
    await u.sendDocument(jpeg, 'again.jpg');
    expect((await u.nextMessage({ timeoutMs: 30_000 })).text).toContain('identical to photo');

    const [accepted, rejected] = stack.env.store.photos.list('S01');
    expect(accepted?.status).not.toBe('rejected');
    expect(rejected?.status).toBe('rejected');
    await inBucket(`stations/S01/images/${accepted?.id}.jpg`, accepted?.imagePath ?? '');
    await inBucket(`stations/S01/raw/${basename(accepted?.rawPath ?? '')}`, accepted?.rawPath ?? '');
    const keys = await blobs.list('stations/S01/');
    expect(keys.filter((k) => k.includes(`/${rejected?.id}.`))).toEqual([]);
  });

  it('a rejected photo restored in /clean joins the bucket with its pre-label', async () => {
    const u = stack.emu.user(8101, { languageCode: 'en' });
    const dark = await sharp((await renderRigPhoto({ seed: 42, classes: DEFAULT_CLASSES, combo: ['gauge_normal'], width: 1024, height: 768 })).jpeg).linear(0.1, 0).jpeg().toBuffer();
    await u.sendPhoto(dark);
    expect((await u.nextMessage({ timeoutMs: 30_000 })).text).toContain('too dark');
    const photo = stack.env.store.photos.list('S01').at(-1);
    expect(photo?.status).toBe('rejected');
    const key = `stations/S01/images/${photo?.id}.jpg`;
    expect(await blobs.exists(key)).toBe(false);

    await u.sendText('/clean');
    const menu = await u.nextMessage();
    expect((await u.callbackAnswer(await u.pressData(menu.message_id, `v1:cr:${photo?.id}`))).text).toContain('restored');
    expect((await u.nextMessage()).text).toContain('pre-labelling');
    expect((await u.nextMessage({ timeoutMs: 30_000 })).caption).toContain(`#${photo?.id} ·`);
    const restored = stack.env.store.photos.get(photo?.id ?? 0);
    expect(restored?.status).toBe('prelabeled');
    await inBucket(key, restored?.imagePath ?? '');
  });

  it('the stage-one report, the dataset zip and the hand-in zip are in the bucket', async () => {
    await seedConfirmedStation(stack.env, 'S02', 8102, 4, '11010519900307322');
    const u = stack.emu.user(8102, { languageCode: 'en' });
    const paths = stationPaths(stack.env.dataDir, 'S02');

    await u.sendText('/report1');
    await u.waitFor((m) => m.document !== undefined, { timeoutMs: 90_000 });
    await inBucket('stations/S02/reports/stage1.pdf', join(paths.reports, 'stage1.pdf'));

    await u.sendText('/dataset');
    await u.waitFor((m) => m.document?.file_name === 'S02.zip', { timeoutMs: 60_000 });
    await inBucket('stations/S02/exports/S02.zip', join(paths.exports, 'S02.zip'));

    await u.sendText('/handin');
    await u.waitFor((m) => m.document?.file_name === 'S02-handin.zip', { timeoutMs: 60_000 });
    await inBucket('stations/S02/handin/S02-handin.zip', join(paths.handin, 'S02-handin.zip'));
  });
});

if (!server) console.warn('SKIP: workers/blob-sync.int.test.ts — s3rver could not start (the line above says why)');

describe('write-through while the object store is down', () => {
  it('keeps the local file, returns no key and logs the key that failed', async () => {
    const data = tempDataDir('wt-down-');
    try {
      const { log, lines } = memoryLogger('wt');
      const config = loadConfig({ DATA_DIR: data.dir, S3_BUCKET: 'copilot-down', S3_ENDPOINT: 'http://127.0.0.1:9', S3_ACCESS_KEY_ID: 'x', S3_SECRET_ACCESS_KEY: 'never-logged-secret' });
      const file = join(data.dir, 'stations', 'D01', 'images', '1.jpg');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, 'jpeg bytes');
      const keys = await writeThrough({ blobs: blobStoreFromConfig(config), log, config }, [file], 'photo');
      expect(keys).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe('jpeg bytes');
      const logged = lines.join('');
      expect(logged).toContain('upload failed');
      expect(logged).toContain('stations/D01/images/1.jpg');
      expect(logged).not.toContain('never-logged-secret');
    } finally {
      data.cleanup();
    }
  });
});
