import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../core/index.js';
import { DEFAULT_CLASSES, generateDataset } from '../../vision/synth/index.js';
import type { ManifestImage } from './manifest.js';
import { evaluateOnnx } from './evaluate.js';
import { TRAINER_SCRIPT } from './processor.js';
import { runTrainer } from './trainer-process.js';

/**
 * The trainer's own val mAP50 (numpy, on the PyTorch model) and the TypeScript one
 * (core/metrics, on the exported ONNX model in onnxruntime-node) measure the same model
 * on the same val photos with the same definition, so they must agree.
 */
describe('trainer and TypeScript mAP agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agree-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on a short real training run', async () => {
    await generateDataset({ out: dir, count: 40, seed: 77, classes: DEFAULT_CLASSES });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { classes: unknown; images: Array<Omit<ManifestImage, 'photoId' | 'split'> & { split?: string }> };
    manifest.images.forEach((im, i) => (im.split = i % 4 === 0 ? 'val' : 'train'));
    writeFileSync(join(dir, 'm.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ model: 'ssdlite', epochs: 16, batch: 8, imgSize: 320, timeBudgetS: 0, augment: 0.3, evalEvery: 4, device: 'cpu' }));
    const kinds = new Set<string>();
    const badLines: string[] = [];
    const r = await runTrainer({ python: '/usr/bin/python3', script: TRAINER_SCRIPT, args: ['--manifest', join(dir, 'm.json'), '--params', join(dir, 'p.json'), '--out', join(dir, 'out')], onEvent: (e) => kinds.add(e.type), onBadLine: (line, error) => badLines.push(`${error}: ${line}`), shouldStop: () => false });
    expect(r.done, r.stderrTail).toBeDefined();
    // Every line the real trainer wrote matches the typed event contract (core/trainer-events.ts).
    expect(badLines).toEqual([]);
    expect([...kinds]).toEqual(expect.arrayContaining(['start', 'epoch', 'best', 'done']));
    const trainerMap = Number(r.done?.bestValMap50);
    const val = manifest.images
      .map((im, i) => ({ ...im, photoId: i, split: im.split as 'train' | 'val' }))
      .filter((im) => im.split === 'val');
    const exam = parseExamConfig({ title: 't', quotas: { '1': 1, '2': 1, '3': 1 }, classes: DEFAULT_CLASSES.map((c) => ({ id: c.id, key: c.key, zh: c.key, en: c.key })) });
    const ts = await evaluateOnnx(join(dir, 'out', 'model.onnx'), val, exam);
    console.log(`val mAP50: trainer ${trainerMap.toFixed(3)} · TypeScript ${(ts.evaluation.map50 ?? 0).toFixed(3)} (class-agnostic NMS: ${(ts.deployedMap50 ?? 0).toFixed(3)})`);
    expect(trainerMap).toBeGreaterThan(0.05);
    expect(Math.abs((ts.evaluation.map50 ?? 0) - trainerMap)).toBeLessThan(0.05);
  }, 360_000);
});
