import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stationPaths } from '../../store/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { seedStation } from '../../test/seed-photo.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { REFUSED_HEAD_BYTES } from './processor.js';

/**
 * Disk: a refused file keeps only its head under raw/, a station that reaches its photo
 * or byte cap is told so and nothing more is saved, and the store reports disk use.
 */
describe('disk use per station', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  function station(userId: number, stationNo: string, idSeed: string) {
    seedStation(stack.env, stationNo, userId, idSeed);
    stack.env.store.users.setActiveCombo(userId, '2');
    return stack.emu.user(userId, { languageCode: 'en' });
  }

  it('keeps only the head of a refused file, and reports the station’s disk use', async () => {
    const u = station(5201, 'D01', '11010519900307141');
    const good = (await renderRigPhoto({ seed: 31, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 })).jpeg;
    const avif = await sharp(good).avif({ quality: 90 }).toBuffer();
    expect(avif.length).toBeGreaterThan(REFUSED_HEAD_BYTES);
    await u.sendDocument(avif, 'photo.avif');
    expect((await u.nextMessage({ timeoutMs: 15_000 })).text).toMatch(/unsupported format/);
    await u.sendPhoto(good);
    expect((await u.nextMessage({ timeoutMs: 15_000 })).caption).toContain('Digital meter 1/10');

    const raw = stationPaths(stack.env.dataDir, 'D01').raw;
    const sizes = readdirSync(raw).map((f) => [f, statSync(join(raw, f)).size] as const);
    const refused = sizes.filter(([f]) => f.endsWith('.head'));
    expect(refused).toHaveLength(1);
    expect(refused[0]?.[1]).toBe(REFUSED_HEAD_BYTES);
    const use = stack.env.store.disk.station('D01');
    expect(use.photos).toBe(2);
    expect(use.rawBytes).toBe(sizes.reduce((a, [, s]) => a + s, 0));
    expect(use.rawBytes).toBeLessThan(good.length + avif.length);
    expect(use.byFolder.images).toBeGreaterThan(0);
    expect(stack.env.store.disk.all().find((s) => s.stationNo === 'D01')).toEqual(use);
  });

  it('refuses photos past the per-station cap with a clear message, saving nothing more', async () => {
    const { limits } = stack.env.exam;
    const saved = { ...limits };
    const u = station(5202, 'D02', '11010519900307142');
    try {
      limits.maxPhotosPerStation = 1;
      const photo = async (seed: number) => (await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 })).jpeg;
      await u.sendPhoto(await photo(41));
      expect((await u.nextMessage({ timeoutMs: 15_000 })).caption).toContain('Digital meter 1/10');
      await u.sendPhoto(await photo(42));
      expect((await u.nextMessage()).text).toContain('the most one station may send');
      expect(stack.env.store.photos.list('D02')).toHaveLength(1);

      limits.maxPhotosPerStation = saved.maxPhotosPerStation;
      limits.maxBytesPerStation = stack.env.store.disk.station('D02').rawBytes + 1000;
      await u.sendPhoto(await photo(43));
      expect((await u.nextMessage()).text).toMatch(/uploads take \d+ MB of the 0 MB/);
      expect(stack.env.store.photos.list('D02')).toHaveLength(1);
    } finally {
      Object.assign(limits, saved);
    }
  });
});
