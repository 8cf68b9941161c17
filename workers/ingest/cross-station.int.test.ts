import { resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { seedStation } from '../../test/seed-photo.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';

/**
 * Copies across stations: a re-encoded copy of another station's photo (JPEG q70, CMYK,
 * WebP, progressive) is refused as another station's photo by its perceptual hash, and
 * a different photo of the same rig model (same combo) is still accepted.
 */
describe('another station’s photo, re-encoded', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
  });
  afterAll(() => stack.close());

  const photo = async (seed: number) => (await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1024, height: 768 })).jpeg;

  function station(userId: number, stationNo: string, idSeed: string) {
    seedStation(stack.env, stationNo, userId, idSeed);
    stack.env.store.users.setActiveCombo(userId, '2');
    return stack.emu.user(userId, { languageCode: 'en' });
  }

  it('refuses every re-encoding as another station’s, accepts a different photo of the same combo', async () => {
    const a = station(5101, 'X01', '11010519900307131');
    const b = station(5102, 'X02', '11010519900307132');
    const original = await photo(77);
    await a.sendPhoto(original);
    expect((await a.nextMessage({ timeoutMs: 15_000 })).caption).toContain('Digital meter 1/10');

    const copies: Array<[string, Buffer]> = [
      ['jpeg q70', await sharp(original).jpeg({ quality: 70 }).toBuffer()],
      ['cmyk', await sharp(original).toColourspace('cmyk').jpeg().toBuffer()],
      ['webp', await sharp(original).webp({ quality: 80 }).toBuffer()],
      ['progressive', await sharp(original).jpeg({ quality: 85, progressive: true }).toBuffer()],
    ];
    for (const [name, buf] of copies) {
      await b.sendDocument(buf, `${name.replace(/\W/g, '')}.${name === 'webp' ? 'webp' : 'jpg'}`);
      expect((await b.nextMessage({ timeoutMs: 15_000 })).text, name).toContain('already submitted by another station');
    }
    await b.sendPhoto(await photo(78));
    expect((await b.nextMessage({ timeoutMs: 15_000 })).caption).toContain('Digital meter 1/10');
    expect(stack.env.store.photos.countByCombo('X02')).toEqual(new Map([['2', 1]]));
  });
});
