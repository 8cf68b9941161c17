/**
 * REAL TRAINER (slow, ~50 s on 2 cores): trains SSDLite for one epoch on 12 synthetic
 * photos with `workers/trainer/train.py` (Python, torch), then loads the exported
 * `model.onnx` with the detector. Checks the trainer's ONNX contract end to end, not
 * accuracy: one epoch from scratch detects nothing useful, so the threshold is the
 * contract's 0.05 floor and only the shape of the detections is asserted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iou, prelabel } from '../../core/index.js';
import { DEFAULT_CLASSES, generateDataset, renderRigPhoto } from '../synth/index.js';
import { closeDetectors, getDetector } from './cache.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const TRAINER = path.resolve('workers/trainer/train.py');
const PARAMS = { model: 'ssdlite', epochs: 1, batch: 4, imgSize: 320 };

describe('REAL trainer → model.onnx → detector (slow)', () => {
  let dir: string;
  let model: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'detector-trainer-'));
    const data = path.join(dir, 'data');
    await generateDataset({ out: data, count: 12, seed: 5, classes: DEFAULT_CLASSES });
    const params = path.join(dir, 'params.json');
    await writeFile(params, JSON.stringify(PARAMS));
    const out = path.join(dir, 'run');
    const args = [TRAINER, '--manifest', path.join(data, 'manifest.json'), '--params', params, '--out', out];
    const res = await run(PYTHON, args, { timeout: 110_000, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`trainer failed: ${err.message}\nstdout: ${err.stdout ?? ''}\nstderr tail: ${(err.stderr ?? '').slice(-2000)}`);
    });
    const done = res.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; onnx?: string })
      .find((e) => e.type === 'done');
    expect(done?.onnx, `no done event with an onnx path in:\n${res.stdout}`).toBeTruthy();
    model = done?.onnx ?? '';
  }, 120_000);

  afterAll(async () => {
    await closeDetectors();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads the exported model and returns well-formed detections in photo pixels', async () => {
    const detector = await getDetector(model);
    const photo = await renderRigPhoto({ seed: 77, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'digital'], width: 1280, height: 960 });
    const { data, info } = await sharp(photo.jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = { data, width: info.width, height: info.height, channels: 3 } as const;
    const source = { width: 4000, height: 3000 };

    const dets = await detector.detect(image, { scoreThreshold: 0.05, sourceSize: source });
    expect(dets.length).toBeGreaterThan(0);
    dets.forEach((d, i) => {
      expect(Number.isInteger(d.classId) && d.classId >= 0 && d.classId < DEFAULT_CLASSES.length).toBe(true);
      expect(d.score).toBeGreaterThanOrEqual(0.05);
      expect(d.score).toBeLessThanOrEqual(1);
      expect(d.score).toBeLessThanOrEqual(dets[i - 1]?.score ?? 1);
      const { x1, y1, x2, y2 } = d.box;
      expect(0 <= x1 && x1 < x2 && x2 <= source.width && 0 <= y1 && y1 < y2 && y2 <= source.height).toBe(true);
      for (const e of dets.slice(0, i)) expect(iou(e.box, d.box)).toBeLessThanOrEqual(0.5);
    });

    const proposed = prelabel(dets, [0, 2], source);
    expect(proposed.boxes.length).toBeLessThanOrEqual(4);
    expect(proposed.boxes.every((b) => b.classId === 0 || b.classId === 2)).toBe(true);
  });
});
