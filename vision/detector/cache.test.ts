import { copyFile, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeDetectors, getDetector, MAX_DETECTORS } from './cache.js';
import { DetectorModelError } from './contract.js';
import { FIXTURE_MODEL, FIXTURE_MODEL_ALT, solidImage } from './test-fixtures.js';

describe('getDetector', () => {
  let dir: string;
  let n = 0;
  /** A fresh copy of `src` with mtime `at` (seconds since the epoch). */
  async function place(src: string, name: string, at: number): Promise<string> {
    const file = path.join(dir, name);
    await copyFile(src, file);
    await utimes(file, at, at);
    return file;
  }
  const uniqueName = () => `model-${++n}.onnx`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'detector-cache-'));
  });
  afterEach(async () => {
    await closeDetectors();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one warm detector per model file, whatever the spelling of its path', async () => {
    const file = await place(FIXTURE_MODEL, uniqueName(), 1_700_000_000);
    const [a, b] = await Promise.all([getDetector(file), getDetector(path.relative(process.cwd(), file))]);
    const c = await getDetector(file);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a.modelPath).toBe(file);
  });

  it('loads the new model when the file is replaced, and the old one still finishes its work', async () => {
    const name = uniqueName();
    const file = await place(FIXTURE_MODEL, name, 1_700_000_000);
    const img = solidImage(200, 100);
    const before = await getDetector(file);
    expect(await before.detect(img)).toHaveLength(5);

    await place(FIXTURE_MODEL_ALT, name, 1_700_000_100);
    const after = await getDetector(file);
    expect(after).not.toBe(before);
    expect(after.modelMtimeMs).toBe(1_700_000_100_000);
    expect(await after.detect(img)).toEqual([{ classId: 2, score: expect.closeTo(0.95, 5), box: { x1: 50, y1: 25, x2: 150, y2: 75 } }]);
    expect(await before.detect(img)).toHaveLength(5);
    expect(await getDetector(file)).toBe(after);

    // Same bytes, new mtime (the trainer rewrote the file): a new session as well.
    await utimes(file, 1_700_000_200, 1_700_000_200);
    expect(await getDetector(file)).not.toBe(after);
  });

  it(`keeps at most ${MAX_DETECTORS} warm detectors: the least recently used goes first`, async () => {
    const files: string[] = [];
    for (let i = 0; i <= MAX_DETECTORS; i++) files.push(await place(FIXTURE_MODEL, uniqueName(), 1_700_000_000));
    const first = await getDetector(files[0]!);
    const second = await getDetector(files[1]!);
    for (const f of files.slice(2, MAX_DETECTORS)) await getDetector(f);
    expect(await getDetector(files[0]!)).toBe(first); // used again: now the most recent
    await getDetector(files[MAX_DETECTORS]!); // one too many: the second file's detector goes
    expect(await getDetector(files[0]!)).toBe(first);
    const again = await getDetector(files[1]!);
    expect(again).not.toBe(second);
    expect(await again.detect(solidImage(200, 100))).toHaveLength(5);
  });

  it('does not cache a failed load: the next call tries again', async () => {
    const name = uniqueName();
    const file = path.join(dir, name);
    await writeFile(file, 'half-written model');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    await expect(getDetector(file)).rejects.toBeInstanceOf(DetectorModelError);
    await place(FIXTURE_MODEL, name, 1_700_000_050);
    expect(await (await getDetector(file)).detect(solidImage(64, 48))).toHaveLength(5);
  });

  it('closes every detector on closeDetectors, and starts afresh after', async () => {
    const file = await place(FIXTURE_MODEL, uniqueName(), 1_700_000_000);
    const d = await getDetector(file);
    await closeDetectors();
    await expect(d.detect(solidImage(64, 48))).rejects.toThrow(/closed/);
    const again = await getDetector(file);
    expect(again).not.toBe(d);
    expect(await again.detect(solidImage(64, 48))).toHaveLength(5);
  });
});
