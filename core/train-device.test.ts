import { describe, expect, it } from 'vitest';
import { BENCH_THROUGHPUT, estimateTrainSeconds, GPU_PRESET_CHANGES, measuredThroughput, presetFor, presetsFor, STARTUP_S } from './train-device.js';
import { PRESETS, parseTrainArgs, trainParamsSchema } from './train-params.js';

describe('presets per device', () => {
  it('are the CPU presets on the CPU, and use a GPU’s speed (larger input, more epochs, same budget) on CUDA', () => {
    for (const name of ['fast', 'balanced', 'accurate', 'assist'] as const) {
      expect(presetFor(name, 'cpu')).toEqual(PRESETS[name]);
      const gpu = presetFor(name, 'cuda');
      expect(trainParamsSchema.parse(gpu)).toEqual(gpu);
      expect(gpu.timeBudgetS).toBe(PRESETS[name].timeBudgetS);
      expect(gpu.epochs).toBeGreaterThan(PRESETS[name].epochs);
      expect(gpu.imgSize).toBeGreaterThanOrEqual(PRESETS[name].imgSize);
    }
    // The assist model keeps the base model's input size.
    expect(GPU_PRESET_CHANGES.assist.imgSize).toBeUndefined();
  });

  it('parse typed parameters on top of the device’s preset', () => {
    const { params } = parseTrainArgs('accurate epochs=30', presetsFor('cuda'));
    expect(params).toMatchObject({ epochs: 30, imgSize: presetFor('accurate', 'cuda').imgSize });
    expect(parseTrainArgs('accurate').params.imgSize).toBe(PRESETS.accurate.imgSize);
  });
});

describe('training time estimate', () => {
  const balanced = PRESETS.balanced;

  it('uses the newest finished run on the same device, else the bench figure, and has no GPU figure of its own', () => {
    const runs = [
      { params: { imgSize: 480 }, progress: { device: 'cuda', imagesPerS: 400 } },
      { params: { imgSize: 320 }, progress: { device: 'cpu', imagesPerS: 12 } },
      { params: { imgSize: 320 }, progress: { device: 'cpu', imagesPerS: 5 } },
    ];
    expect(measuredThroughput('cpu', runs)).toEqual({ kind: 'cpu', imagesPerS: 12, imgSize: 320, source: 'history' });
    expect(measuredThroughput('cuda', runs)).toEqual({ kind: 'cuda', imagesPerS: 400, imgSize: 480, source: 'history' });
    expect(measuredThroughput('cpu', [])).toEqual(BENCH_THROUGHPUT[0]);
    expect(measuredThroughput('cuda', [{ params: {}, progress: { device: 'cuda' } }])).toBeUndefined();
    expect(estimateTrainSeconds(balanced, 100, undefined)).toBeUndefined();
  });

  it('scales with epochs, photos and input pixels, and is capped by the time budget', () => {
    const speed = { kind: 'cpu' as const, imagesPerS: 10, imgSize: 320, source: 'bench' as const };
    const short = { ...balanced, epochs: 2, timeBudgetS: 0 };
    // 100 photos, 20 % val → 80 train images; 2 epochs at 10 images/s = 16 s, plus start-up.
    expect(estimateTrainSeconds(short, 100, speed)).toEqual({ seconds: STARTUP_S.cpu + 16, budgetBound: false });
    // Twice the side is four times the pixels.
    expect(estimateTrainSeconds({ ...short, imgSize: 640 }, 100, speed)?.seconds).toBeCloseTo(STARTUP_S.cpu + 64);
    expect(estimateTrainSeconds({ ...balanced, epochs: 300, timeBudgetS: 600 }, 100, speed)).toEqual({ seconds: 600, budgetBound: true });
  });
});
