import { z } from 'zod';
import { PRESETS, type PresetName, type TrainParams } from './train-params.js';

/**
 * Which device the training workers train on, as they advertise it at start-up, and
 * what follows from it: the presets (a GPU uses its speed: larger input, more epochs
 * within the same wall-clock budget) and how long a run should take.
 */

export const trainerDeviceSchema = z.object({
  kind: z.enum(['cpu', 'cuda']),
  /** "NVIDIA H200", or the CPU's core count as "2 CPU cores". */
  name: z.string(),
  torch: z.string(),
  /** GPU memory in GiB (cuda only). */
  memoryGiB: z.number().nullable(),
  /** Runs one worker trains at once. */
  concurrency: z.number().int().min(1),
});
export type TrainerDevice = z.infer<typeof trainerDeviceSchema>;
export type TrainerDeviceKind = TrainerDevice['kind'];

/**
 * What a preset changes on a GPU. Same time budgets as on the CPU: on an H200 an epoch of
 * 100 photos takes well under a second (workers/trainer/README.md), so the budget buys a
 * larger input and many more epochs, and early stopping ends a run that has converged.
 */
export const GPU_PRESET_CHANGES: Readonly<Record<PresetName, Partial<TrainParams>>> = {
  fast: { epochs: 120, imgSize: 416 },
  balanced: { epochs: 200, imgSize: 480, patience: 30 },
  accurate: { epochs: 160, imgSize: 640, patience: 25 },
  // The assist model stays at the base model's 480 px (its head is adopted only when it wins).
  assist: { epochs: 80 },
};

/** The preset's parameters for the device that will train it. */
export function presetFor(name: PresetName, kind: TrainerDeviceKind): TrainParams {
  return { ...PRESETS[name], ...(kind === 'cuda' ? GPU_PRESET_CHANGES[name] : {}) };
}

/** Every preset for the device (what `parseTrainArgs` starts from). */
export function presetsFor(kind: TrainerDeviceKind): Record<PresetName, TrainParams> {
  const names = Object.keys(PRESETS) as PresetName[];
  return Object.fromEntries(names.map((n) => [n, presetFor(n, kind)])) as Record<PresetName, TrainParams>;
}

/**
 * Measured training speed (images per second through one optimizer step, augmentation
 * included) at a reference input size; time scales with the input's pixels.
 */
export interface Throughput {
  kind: TrainerDeviceKind;
  imagesPerS: number;
  imgSize: number;
  /** Where the figure comes from: a finished run on this hall's workers, or the bench. */
  source: 'history' | 'bench';
}

/**
 * `npm run bench -- train` on the 2-core development CPU: 8.6 s an epoch of 80 photos at
 * 320 px. No GPU figure is built in: until a GPU run has finished here, the estimate on a
 * GPU says only "within the budget".
 */
export const BENCH_THROUGHPUT: readonly Throughput[] = [{ kind: 'cpu', imagesPerS: 80 / 8.6, imgSize: 320, source: 'bench' }];

/** Seconds before the first epoch: interpreter, imports, the image cache (and CUDA). */
export const STARTUP_S: Readonly<Record<TrainerDeviceKind, number>> = { cpu: 15, cuda: 20 };

/**
 * The device's speed from the newest finished run that trained on it (its last epoch's
 * images/s), else the built-in bench figure. `runs` are finished runs, newest first.
 */
export function measuredThroughput(kind: TrainerDeviceKind, runs: readonly { params: Record<string, unknown>; progress: Record<string, unknown> | null }[]): Throughput | undefined {
  for (const r of runs) {
    const p = r.progress;
    const speed = p?.imagesPerS;
    const size = r.params.imgSize;
    if (p?.device === kind && typeof speed === 'number' && speed > 0 && typeof size === 'number' && size > 0) {
      return { kind, imagesPerS: speed, imgSize: size, source: 'history' };
    }
  }
  return BENCH_THROUGHPUT.find((t) => t.kind === kind);
}

export interface TrainEstimate {
  /** Expected seconds from start to the exported model. */
  seconds: number;
  /** True when the time budget, not the epochs, ends the run. */
  budgetBound: boolean;
}

/**
 * How long a run should take: start-up, then `epochs` passes over the training photos at
 * the measured speed scaled to the input size, capped by the time budget. Undefined when
 * no speed has been measured for the device (say "within the budget" then).
 */
export function estimateTrainSeconds(params: Pick<TrainParams, 'epochs' | 'imgSize' | 'timeBudgetS' | 'valSplit'>, photos: number, speed: Throughput | undefined): TrainEstimate | undefined {
  if (!speed) return undefined;
  const trainImages = Math.max(1, Math.round(photos * (1 - params.valSplit)));
  const perImage = ((params.imgSize / speed.imgSize) ** 2) / speed.imagesPerS;
  const seconds = STARTUP_S[speed.kind] + params.epochs * trainImages * perImage;
  if (params.timeBudgetS > 0 && seconds > params.timeBudgetS) return { seconds: params.timeBudgetS, budgetBound: true };
  return { seconds, budgetBound: false };
}
