import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../core/index.js';
import { DetectorModelError } from './contract.js';
import { loadDetector, type Detector } from './detector.js';
import { FIXTURE_BAD_NAMES, FIXTURE_MODEL, rgbImage, solidImage } from './test-fixtures.js';

/** Rounds for comparison (boxes to 0.01 px, scores to 0.001); equal rounded scores by x1. */
function rounded(dets: readonly Detection[]) {
  const r = (v: number, step: number) => Math.round(v / step) * step;
  return dets
    .map((d) => ({
      classId: d.classId,
      score: r(d.score, 0.001),
      box: { x1: r(d.box.x1, 0.01), y1: r(d.box.y1, 0.01), x2: r(d.box.x2, 0.01), y2: r(d.box.y2, 0.01) },
    }))
    .sort((a, b) => b.score - a.score || a.box.x1 - b.box.x1);
}

/** The fixture's boxes (fractions of W/H) that survive the defaults, with a grey (128) image. */
function expectedOnGrey(w: number, h: number) {
  const box = (x1: number, y1: number, x2: number, y2: number) => ({ x1: x1 * w, y1: y1 * h, x2: Math.min(x2 * w, w), y2: Math.min(y2 * h, h) });
  const grey = Math.round((128 / 255) * 1000) / 1000;
  return rounded([
    { classId: 0, score: 0.9, box: box(0.1, 0.1, 0.4, 0.5) },
    { classId: 2, score: 0.7, box: box(0.55, 0.2, 0.9, 0.6) },
    { classId: 0, score: 0.6, box: box(0.85, 0.7, 1.1, 1.05) },
    { classId: 2, score: grey, box: box(0.02, 0.55, 0.12, 0.65) },
    { classId: 1, score: grey, box: box(0.45, 0.02, 0.55, 0.08) },
  ]);
}

/** Selection without box voting and part suppression: the fixture's raw boxes come back as they are. */
const PLAIN = { voteIou: false, containedShare: false } as const;

describe('loadDetector with the fixture model', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await loadDetector(FIXTURE_MODEL);
  });
  afterAll(async () => {
    await detector.close();
  });

  it('returns boxes in image pixels, clamped, thresholded, without the other-label duplicate', async () => {
    const dets = await detector.detect(solidImage(640, 480), PLAIN);
    expect(rounded(dets)).toEqual(expectedOnGrey(640, 480));
  });

  it('scales boxes to sourceSize after feeding the model a downscaled copy', async () => {
    const dets = await detector.detect(solidImage(1280, 960), { ...PLAIN, sourceSize: { width: 4000, height: 3000 } });
    expect(rounded(dets)).toEqual(expectedOnGrey(4000, 3000));
    const small = await detector.detect(solidImage(1280, 960), { ...PLAIN, maxSide: 320, sourceSize: { width: 4000, height: 3000 } });
    expect(rounded(small)).toEqual(expectedOnGrey(4000, 3000));
  });

  it('handles odd sizes and portrait images', async () => {
    expect(rounded(await detector.detect(solidImage(101, 37), PLAIN))).toEqual(expectedOnGrey(101, 37));
    expect(rounded(await detector.detect(solidImage(480, 1000), PLAIN))).toEqual(expectedOnGrey(480, 1000));
  });

  it('feeds RGB planes in 0..1: the fixture reads mean R of the left half and mean B of the bottom half', async () => {
    // Left half red, bottom-right quadrant blue: R-left = 1, B-bottom = 0.5.
    const img = rgbImage(1280, 960, (x, y) => (x < 640 ? [255, 0, 0] : y >= 480 ? [0, 0, 255] : [0, 255, 0]));
    const dets = await detector.detect(img, { ...PLAIN, scoreThreshold: 0.05, nmsIou: 1 });
    const scoreAt = (x1: number) => dets.find((d) => Math.abs(d.box.x1 - x1) < 1e-3)?.score;
    expect(scoreAt(0.02 * 1280)).toBeCloseTo(1, 5);
    expect(scoreAt(0.45 * 1280)).toBeCloseTo(0.5, 5);
    const grey: typeof img = { data: Buffer.alloc(64 * 48, 255), width: 64, height: 48, channels: 1 };
    const fromGrey = await detector.detect(grey, { scoreThreshold: 0.05 });
    expect(fromGrey.filter((d) => d.score > 0.999)).toHaveLength(2);
  });

  it('applies scoreThreshold and nmsIou', async () => {
    const img = solidImage(640, 480);
    expect((await detector.detect(img, { ...PLAIN, scoreThreshold: 0.65 })).map((d) => d.score.toFixed(2))).toEqual(['0.90', '0.70']);
    const low = await detector.detect(img, { ...PLAIN, scoreThreshold: 0.1 });
    expect(low.map((d) => d.score.toFixed(2))).toEqual(['0.90', '0.70', '0.60', '0.50', '0.50', '0.20']);
    // The two boxes of one object (IoU 0.89, labels 0 and 1) both survive only a looser NMS.
    const loose = await detector.detect(img, { ...PLAIN, nmsIou: 0.95 });
    expect(loose.slice(0, 2).map((d) => [d.classId, d.score.toFixed(2)])).toEqual([
      [0, '0.90'],
      [1, '0.80'],
    ]);
  });

  it('serves concurrent calls of different sizes correctly', async () => {
    const sizes: [number, number][] = [
      [640, 480],
      [200, 150],
      [1280, 960],
      [33, 90],
    ];
    const results = await Promise.all(sizes.map(([w, h]) => detector.detect(solidImage(w, h), PLAIN)));
    results.forEach((dets, i) => {
      const [w, h] = sizes[i] as [number, number];
      expect(rounded(dets)).toEqual(expectedOnGrey(w, h));
    });
  });

  it('by default votes the kept box towards the candidates of its object (any label), score² weighted', async () => {
    const [first] = await detector.detect(solidImage(1000, 1000));
    // fixture boxes 0 (0.10…0.40 × 0.10…0.50, score 0.9) and 1 (+0.01, label 1, score 0.8; IoU 0.89)
    const mean = (a: number, b: number) => ((0.81 * a + 0.64 * b) / 1.45) * 1000;
    expect(first?.classId).toBe(0);
    expect(first?.score).toBeCloseTo(0.9, 5);
    expect(first?.box.x1).toBeCloseTo(mean(0.1, 0.11), 2);
    expect(first?.box.y2).toBeCloseTo(mean(0.5, 0.51), 2);
  });

  it('refuses a bad sourceSize', async () => {
    await expect(detector.detect(solidImage(64, 48), { sourceSize: { width: 0, height: 48 } })).rejects.toThrow(/sourceSize/);
  });
});

describe('loadDetector errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'detector-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a model whose inputs/outputs are not the contract and says how to fix it', async () => {
    const err = await loadDetector(FIXTURE_BAD_NAMES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DetectorModelError);
    expect((err as Error).message).toContain('inputs [input] and outputs [out0, out1, out2]');
    expect((err as Error).message).toContain('inputs [images] and outputs [boxes, labels, scores]');
    expect((err as Error).message).toContain('workers/trainer/det/onnx_export.py');
  });

  it('rejects a file that is not an ONNX model', async () => {
    const file = path.join(dir, 'garbage.onnx');
    await writeFile(file, 'not a model');
    await expect(loadDetector(file)).rejects.toThrow(/cannot be loaded by onnxruntime/);
  });

  it('rejects a missing file with the fs error', async () => {
    await expect(loadDetector(path.join(dir, 'missing.onnx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses detect after close', async () => {
    const d = await loadDetector(FIXTURE_MODEL, { threads: 2 });
    const pending = d.detect(solidImage(64, 48));
    await d.close();
    await expect(pending).resolves.toHaveLength(5);
    await expect(d.detect(solidImage(64, 48))).rejects.toThrow(/closed/);
  });
});
