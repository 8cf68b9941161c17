import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Detector } from '../../vision/index.js';
import { FIXTURE_MODEL, FIXTURE_MODEL_ALT, solidImage } from '../../vision/detector/test-fixtures.js';
import { ModelCache, ModelUnavailableError } from './model-cache.js';

const image = solidImage(64, 48, [0, 0, 0]);
let dir: string;
let cache: ModelCache;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'model-cache-'));
  cache = new ModelCache({ maxModels: 2, threads: 1 });
});
afterEach(async () => {
  await cache.close();
  rmSync(dir, { recursive: true, force: true });
});

const model = (name: string, from = FIXTURE_MODEL): string => {
  const file = path.join(dir, name);
  copyFileSync(from, file);
  return file;
};

/** A promise and its resolver, to hold a request in flight. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ModelCache', () => {
  it('keeps a replaced file\'s session until its request ends, then releases it', async () => {
    const file = model('a.onnx');
    const hold = deferred();
    let old: Detector | undefined;
    const inFlight = cache.use(file, async (d) => {
      old = d;
      await hold.promise;
      return d.detect(image);
    });
    await expect.poll(() => old).toBeDefined();
    copyFileSync(FIXTURE_MODEL_ALT, `${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    const fresh = await cache.use(file, (d) => d.detect(image));
    expect(fresh).toHaveLength(1);
    expect(cache.size).toBe(2);
    hold.resolve();
    expect(await inFlight).toHaveLength(3);
    expect(cache.size).toBe(1);
    await expect(old?.detect(image)).rejects.toThrow(/closed/);
  });

  it('releases the least recently used idle session beyond maxModels, never one in use', async () => {
    const [a, b, c] = ['a.onnx', 'b.onnx', 'c.onnx'].map((n) => model(n));
    const seen = new Map<string, Detector>();
    const hold = deferred();
    const holdingA = cache.use(a!, async (d) => {
      seen.set('a', d);
      await hold.promise;
      return d.detect(image);
    });
    await expect.poll(() => seen.get('a')).toBeDefined();
    await cache.use(b!, async (d) => void seen.set('b', d));
    await cache.use(c!, async (d) => void seen.set('c', d));
    // a is the oldest but in use: b goes instead.
    expect(cache.size).toBe(2);
    await expect(seen.get('b')?.detect(image)).rejects.toThrow(/closed/);
    hold.resolve();
    expect(await holdingA).toHaveLength(3);
    expect(await cache.use(b!, (d) => d.detect(image))).toHaveLength(3);
    await expect(seen.get('a')?.detect(image)).rejects.toThrow(/closed/);
    expect(await seen.get('c')?.detect(image)).toHaveLength(3);
  });

  it('answers ModelUnavailableError for a missing or broken file, and loads it once fixed', async () => {
    const file = path.join(dir, 'm.onnx');
    await expect(cache.use(file, (d) => d.detect(image))).rejects.toBeInstanceOf(ModelUnavailableError);
    writeFileSync(file, 'not a model');
    await expect(cache.use(file, (d) => d.detect(image))).rejects.toBeInstanceOf(ModelUnavailableError);
    copyFileSync(FIXTURE_MODEL, `${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    expect(await cache.use(file, (d) => d.detect(image))).toHaveLength(3);
  });
});
