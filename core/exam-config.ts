import { z } from 'zod';

/**
 * The exam configuration: classes, the capture quotas, sampling and cleaning
 * thresholds. One validated file (`config/exam.yaml` by default); organisers
 * swap in the official label list by editing it or pointing `EXAM_CONFIG` elsewhere.
 */

export const SYNTH_KINDS = ['gauge-normal', 'gauge-abnormal', 'digital', 'light-on', 'light-off'] as const;

const classSchema = z.object({
  id: z.number().int().min(0),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'key: lower-case letters, digits and _ (1–32), starting with a letter'),
  zh: z.string().trim().min(1, 'Chinese name must not be empty'),
  en: z.string().trim().min(1, 'English name must not be empty'),
  /** How the synthetic rig generator draws it; only used for demo and test data. */
  kind: z.enum(SYNTH_KINDS).optional(),
});

const cleaningSchema = z.object({
  /** Smallest accepted image (pixels, after orientation). */
  minWidth: z.number().int().positive().default(640),
  minHeight: z.number().int().positive().default(480),
  /**
   * Variance of the Laplacian in the sharpest tenth of a grey copy with a 512 px long side
   * (32 px tiles); below = blurry. 80: no real photo of the real-gauges set below it, a σ 4
   * blur of every one of them below it (`npm run bench -- prelabel-real`).
   */
  minSharpness: z.number().nonnegative().default(80),
  /** Mean luma (0–255) bounds: outside them the photo is dark or bright as a whole… */
  minMeanLuma: z.number().min(0).max(255).default(45),
  maxMeanLuma: z.number().min(0).max(255).default(215),
  /** …as it is with more than this share of clipped dark (≤16) or bright (≥239) pixels. */
  maxClippedFraction: z.number().min(0).max(1).default(0.4),
  /** A dark photo is refused only when even its brightest 2 % (98th percentile) stay below this grey level. */
  minHighlightLuma: z.number().min(0).max(255).default(100),
  /** A bright photo is refused only when even its darkest 5 % (5th percentile) stay above this grey level. */
  maxShadowLuma: z.number().min(0).max(255).default(170),
  /** Perceptual-hash Hamming distance at or below which two photos are near duplicates. */
  nearDuplicateDistance: z.number().int().min(0).max(64).default(6),
  /**
   * Distance at or below which a photo is another station's photo re-encoded (JPEG q70,
   * CMYK, WebP, progressive, downscaled). Measured by `npm run bench -- phash`: copies
   * 0–4 bits (n=115, 102 at 0); different synthetic photos of the same combo ≥ 18 (n=264,
   * median 32); different real gauge photos ≥ 10 (n=5565, 1st percentile 18). 6 leaves
   * 2 bits over the copies and 4 under the closest different photos.
   */
  otherStationDistance: z.number().int().min(0).max(64).default(6),
});

const limitsSchema = z.object({
  /** Refuse images whose header declares more pixels than this, before decoding. */
  maxInputPixels: z.number().int().positive().default(50_000_000),
  /** Refuse uploads larger than this (bytes). Telegram bots can download at most 20 MB. */
  maxFileBytes: z.number().int().positive().default(20 * 1024 * 1024),
  /** Photos one station may upload in all (kept or refused): 100 planned, room for retakes. */
  maxPhotosPerStation: z.number().int().positive().default(400),
  /** Bytes of uploads one station may keep under raw/ (default 2 GiB). */
  maxBytesPerStation: z.number().int().positive().default(2 * 1024 * 1024 * 1024),
});

const labelingSchema = z.object({
  /** Training refuses to start with fewer confirmed labeled photos per class. */
  minConfirmedPerClass: z.number().int().min(1).default(8),
  /** The assist model is trained after this many confirmed photos per class labelled so far (again at 2N, 4N, 8N). */
  assistAfterPerClass: z.number().int().min(1).default(3),
  /**
   * A proposal whose best model score is below this is shown as unsure: the preview says so
   * and leads with the editor instead of the one-tap Confirm (so does a combo class with no box).
   * 0.7: on the real-gauges measurement half it halves the wrong proposals shown as sure (26 % →
   * 13 % of photos with the base model) while no synthetic one-tap proposal falls below it.
   */
  sureScore: z.number().min(0).max(1).default(0.7),
});

export const examConfigSchema = z
  .object({
    title: z.string().min(1),
    taskName: z.string().regex(/^[A-Za-z0-9_-]+$/).default('competition'),
    durationMin: z.number().int().positive().default(120),
    sampleRate: z.number().gt(0).max(1).default(0.2),
    maxComboSize: z.number().int().min(1).max(5).default(3),
    /** Photos required per combo, by combo size ("1": each single class, "2": each pair, ...). */
    quotas: z.record(z.string().regex(/^[1-9]$/), z.number().int().positive('quota must be at least 1')),
    classes: z.array(classSchema).min(1, 'at least one class'),
    cleaning: cleaningSchema.default(cleaningSchema.parse({})),
    limits: limitsSchema.default(limitsSchema.parse({})),
    labeling: labelingSchema.default(labelingSchema.parse({})),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<number>();
    const keys = new Set<string>();
    cfg.classes.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: `duplicate class id ${c.id}` });
      if (keys.has(c.key)) ctx.addIssue({ code: 'custom', path: ['classes', i, 'key'], message: `duplicate class key ${c.key}` });
      ids.add(c.id);
      keys.add(c.key);
    });
    const sorted = [...ids].sort((a, b) => a - b);
    if (sorted.some((id, i) => id !== i)) {
      ctx.addIssue({ code: 'custom', path: ['classes'], message: 'class ids must be 0..N-1 without gaps (the detector numbers classes this way)' });
    }
    for (let size = 1; size <= Math.min(cfg.maxComboSize, cfg.classes.length); size++) {
      if (cfg.quotas[String(size)] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['quotas', String(size)], message: `missing quota for combos of ${size} class(es)` });
      }
    }
  });

export type ExamConfig = z.infer<typeof examConfigSchema>;
export type ExamClass = ExamConfig['classes'][number];

/** Thrown when the exam config is invalid; `problems` names every bad key. */
export class ExamConfigError extends Error {
  override readonly name = 'ExamConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid exam config (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix these keys and start again.`);
  }
}

/** Validates an already-parsed config object; throws `ExamConfigError` listing every problem. */
export function parseExamConfig(raw: unknown, source = 'exam config'): ExamConfig {
  const result = examConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ExamConfigError(
      source,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/** A class's display name in a language. */
export function className(cls: ExamClass, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? cls.zh : cls.en;
}
