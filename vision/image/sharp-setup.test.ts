import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { configureSharp } from './sharp-setup.js';

describe('configureSharp', () => {
  const threads = sharp.concurrency();
  const cache = sharp.cache();
  afterAll(() => {
    sharp.concurrency(threads);
    sharp.cache({ memory: cache.memory.max, files: cache.files.max, items: cache.items.max });
  });

  it('sets one libvips thread per pipeline and no cache by default', () => {
    expect(configureSharp()).toEqual({ threadsPerImage: 1, cacheMb: 0 });
    expect(sharp.concurrency()).toBe(1);
    expect(sharp.cache().items.max).toBe(0);
  });

  it('applies explicit settings and refuses nonsense', () => {
    expect(configureSharp({ threadsPerImage: 2, cacheMb: 20 })).toEqual({ threadsPerImage: 2, cacheMb: 20 });
    expect(() => configureSharp({ threadsPerImage: 0 })).toThrow(RangeError);
    expect(() => configureSharp({ cacheMb: -1 })).toThrow(RangeError);
  });
});
