import { z } from 'zod';
import { UserInputError } from './errors.js';

/**
 * Training parameters the contestant sets (the exam's 参数设置), validated here with
 * the same ranges as the Python trainer (`workers/trainer/det/params.py`), so a bad
 * value is refused in the chat, in the user's language, before anything is queued.
 */

export const trainParamsSchema = z
  .object({
    model: z.enum(['ssdlite', 'frcnn']),
    epochs: z.number().int().min(1).max(300),
    batch: z.number().int().min(1).max(64),
    lr: z.number().min(1e-5).max(1).nullable(),
    optimizer: z.enum(['sgd', 'adamw']),
    weightDecay: z.number().min(0).max(0.1),
    warmupEpochs: z.number().min(0).max(10),
    augment: z.number().min(0).max(1),
    valSplit: z.number().min(0.05).max(0.5),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    patience: z.number().int().min(0).max(300),
    /** Seconds; 0 = no limit. The trainer fits its learning-rate schedule to it. */
    timeBudgetS: z.number().min(0).max(24 * 3600),
    imgSize: z.number().int().min(128).max(1024).refine((v) => v % 32 === 0, 'a multiple of 32'),
    /** Checkpoint to fine-tune from (set by the worker: the shipped base model), or null. */
    init: z.string().nullable(),
  })
  .strict();

export type TrainParams = z.infer<typeof trainParamsSchema>;

export const PRESETS = {
  fast: { model: 'ssdlite', epochs: 40, batch: 16, lr: null, optimizer: 'adamw', weightDecay: 0.0005, warmupEpochs: 1, augment: 0.4, valSplit: 0.2, seed: 0, patience: 0, timeBudgetS: 300, imgSize: 320, init: null },
  balanced: { model: 'ssdlite', epochs: 80, batch: 16, lr: null, optimizer: 'adamw', weightDecay: 0.0005, warmupEpochs: 2, augment: 0.5, valSplit: 0.2, seed: 0, patience: 15, timeBudgetS: 600, imgSize: 320, init: null },
  /**
   * SSDLite at 480 px from the base model: the input keeps 2.25× the pixels of a meter
   * (small or distant meters). Not Faster R-CNN: with no pretrained backbone offline it
   * reached val mAP50 0.81 after 23 min on the 2-core CPU (workers/trainer/README.md).
   */
  accurate: { model: 'ssdlite', epochs: 40, batch: 16, lr: null, optimizer: 'adamw', weightDecay: 0.0005, warmupEpochs: 1, augment: 0.5, valSplit: 0.2, seed: 0, patience: 10, timeBudgetS: 900, imgSize: 480, init: null },
  /**
   * The short background run that makes the station's pre-label assistant. At the base
   * model's 480 px, since pre-labels need tight boxes (an assist model must beat the base
   * model's mAP@0.5:0.95 to replace it).
   */
  assist: { model: 'ssdlite', epochs: 30, batch: 16, lr: null, optimizer: 'adamw', weightDecay: 0.0005, warmupEpochs: 1, augment: 0.4, valSplit: 0.15, seed: 0, patience: 0, timeBudgetS: 150, imgSize: 480, init: null },
} as const satisfies Record<string, TrainParams>;

export type PresetName = keyof typeof PRESETS;
export const USER_PRESETS = ['fast', 'balanced', 'accurate'] as const;

/** Names a contestant may type, and the parameter each sets. */
const ALIASES: Record<string, keyof TrainParams> = {
  model: 'model', epochs: 'epochs', epoch: 'epochs', batch: 'batch', bs: 'batch', lr: 'lr',
  optimizer: 'optimizer', opt: 'optimizer', wd: 'weightDecay', weightdecay: 'weightDecay',
  warmup: 'warmupEpochs', warmupepochs: 'warmupEpochs', augment: 'augment', aug: 'augment',
  val: 'valSplit', valsplit: 'valSplit', split: 'valSplit', seed: 'seed', patience: 'patience',
  time: 'timeBudgetS', budget: 'timeBudgetS', timebudgets: 'timeBudgetS', size: 'imgSize', imgsize: 'imgSize',
};

/** `10m`, `90s`, `1h`, or plain seconds. */
function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h)?$/i.exec(v.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return unit === 'h' ? n * 3600 : unit.startsWith('m') ? n * 60 : n;
}

/** One thing wrong with `/train`'s arguments, quoting what the user typed. */
export type TrainArgIssue =
  | { kind: 'param'; field: string; value: string; range: string }
  | { kind: 'unknown'; field: string };

/**
 * Every bad argument of one `/train` line at once (code `train.params`), so the user
 * fixes them in one go; each quotes the name and value as typed, never a parsed `NaN`.
 */
export class TrainArgsError extends UserInputError {
  constructor(readonly issues: readonly TrainArgIssue[]) {
    super('train.params', { n: issues.length });
  }
}

/**
 * Parses `epochs=60 lr=0.001 batch=8` (optionally starting with a preset name) into
 * validated params. Throws `TrainArgsError` listing every unknown name, then every bad
 * value (with its allowed range).
 */
export function parseTrainArgs(text: string, presets: Readonly<Record<PresetName, TrainParams>> = PRESETS): { params: TrainParams; preset: PresetName } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let preset: PresetName = 'balanced';
  const first = words[0]?.toLowerCase();
  if (first && (USER_PRESETS as readonly string[]).includes(first)) {
    preset = first as PresetName;
    words.shift();
  }
  const params: Record<string, unknown> = { ...presets[preset] };
  const typed = new Map<string, { field: string; value: string }>();
  const issues: TrainArgIssue[] = [];
  for (const word of words) {
    const [rawKey, ...rest] = word.split(/[=:：]/);
    const value = rest.join('=');
    const key = ALIASES[(rawKey ?? '').toLowerCase().replace(/[-_]/g, '')];
    if (!key || value === '') {
      issues.push({ kind: 'unknown', field: rawKey || word });
      continue;
    }
    typed.set(key, { field: rawKey ?? key, value });
    if (key === 'model' || key === 'optimizer') params[key] = value.toLowerCase();
    else if (key === 'timeBudgetS') params[key] = parseDuration(value);
    else params[key] = value.trim() === '' ? Number.NaN : Number(value);
  }
  const r = trainParamsSchema.safeParse(params);
  if (!r.success) {
    const bad = new Set(r.error.issues.map((i) => String(i.path[0] ?? '')));
    for (const [key, t] of typed) {
      if (bad.has(key)) issues.push({ kind: 'param', field: t.field, value: t.value, range: RANGES[key as keyof TrainParams] ?? '' });
    }
    if (issues.length === 0) throw new Error(`train-params: preset ${preset} fails its own schema; fix PRESETS`);
  }
  if (issues.length || !r.success) throw new TrainArgsError(issues);
  return { params: r.data, preset };
}

/** Allowed values per field, for error messages. */
export const RANGES: Partial<Record<keyof TrainParams, string>> = {
  model: 'ssdlite | frcnn', epochs: '1–300', batch: '1–64', lr: '0.00001–1', optimizer: 'sgd | adamw',
  weightDecay: '0–0.1', warmupEpochs: '0–10', augment: '0–1', valSplit: '0.05–0.5', seed: '0–2147483647',
  patience: '0–300', timeBudgetS: '0–24h', imgSize: '128–1024, multiple of 32',
};
