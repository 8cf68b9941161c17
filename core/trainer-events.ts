import { z } from 'zod';

/**
 * The trainer's stdout contract (workers/trainer/README.md, "stdout: JSON lines"): one
 * event a line. Non-finite numbers arrive as `null`. Parsed where the worker reads the
 * child's stdout; a line that does not match is logged and skipped.
 */

const num = z.number().nullable();
const int = z.number().int();

export const trainerStartEvent = z.object({
  type: z.literal('start'),
  device: z.string(),
  model: z.string(),
  trainImages: int,
  valImages: int,
  stepsPerEpoch: int,
  skippedImages: int,
  classes: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
});

/** Within an epoch, at most every 10 s: no `epochs` and no ETA (the plan is in the last `epoch` event). */
export const trainerStepEvent = z.object({
  type: z.literal('step'),
  epoch: int,
  step: int,
  steps: int,
  loss: num,
  lr: num,
  elapsedS: z.number(),
});

export const trainerEpochEvent = z.object({
  type: z.literal('epoch'),
  epoch: int,
  /** The current plan; can change under a time budget. */
  epochs: int,
  loss: num,
  lossParts: z.record(z.string(), num),
  lr: num,
  imagesPerS: num,
  elapsedS: z.number(),
  etaS: z.number(),
  valMap50: num.optional(),
  valMap50_95: num.optional(),
  valMap50PerClass: z.record(z.string(), num).optional(),
  evalS: z.number().optional(),
  partial: z.literal(true).optional(),
});

export const trainerBestEvent = z.object({
  type: z.literal('best'),
  epoch: int,
  valMap50: num,
  valMap50_95: num,
});

export const TRAINER_DONE_REASONS = ['completed', 'early-stop', 'time-budget', 'stopped'] as const;
export type TrainerDoneReason = (typeof TRAINER_DONE_REASONS)[number];

export const trainerDoneEvent = z.object({
  type: z.literal('done'),
  reason: z.enum(TRAINER_DONE_REASONS),
  bestEpoch: int.nullable(),
  bestValMap50: num,
  onnx: z.string(),
  checkpoint: z.string(),
  last: z.string(),
  metrics: z.string(),
  elapsedS: z.number(),
});

export const trainerErrorEvent = z.object({
  type: z.literal('error'),
  code: z.enum(['bad-params', 'bad-manifest', 'diverged', 'out-of-memory', 'internal']),
  field: z.string().nullable().optional(),
  message: z.string(),
});

export const trainerEventSchema = z.discriminatedUnion('type', [
  trainerStartEvent,
  trainerStepEvent,
  trainerEpochEvent,
  trainerBestEvent,
  trainerDoneEvent,
  trainerErrorEvent,
]);
export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type TrainerStepEvent = z.infer<typeof trainerStepEvent>;
export type TrainerEpochEvent = z.infer<typeof trainerEpochEvent>;
export type TrainerDoneEvent = z.infer<typeof trainerDoneEvent>;
export type TrainerErrorEvent = z.infer<typeof trainerErrorEvent>;

/** One stdout line → an event, or why it is not one (the caller logs and skips it). */
export function parseTrainerLine(line: string): { ok: true; event: TrainerEvent } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const r = trainerEventSchema.safeParse(raw);
  if (r.success) return { ok: true, event: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'type'}: ${i.message}`).join('; ') };
}
