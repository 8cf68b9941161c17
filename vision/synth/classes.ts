/**
 * Validation of class lists (from the exam config or a `--classes` JSON file).
 */
import { z } from 'zod';
import { SYNTH_KINDS } from './types.js';
import type { SynthClass, SynthKind } from './types.js';

const kindSchema = z.enum(SYNTH_KINDS as [SynthKind, ...SynthKind[]]);

/** Schema of a class list: ids 0..n-1 (YOLO's class index = line of classes.txt), unique keys. */
export const synthClassesSchema = z
  .array(
    z.object({
      id: z.number().int().min(0),
      key: z.string().regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" or "-" (it names files and YOLO classes)'),
      kind: kindSchema,
    }),
  )
  .min(1, 'give at least one class')
  .superRefine((classes, ctx) => {
    const ids = classes.map((c) => c.id).sort((a, b) => a - b);
    if (ids.some((id, i) => id !== i)) {
      ctx.addIssue({ code: 'custom', message: `class ids must be 0..${classes.length - 1} without gaps, got ${ids.join(', ')}` });
    }
    if (new Set(classes.map((c) => c.key)).size !== classes.length) {
      ctx.addIssue({ code: 'custom', message: 'class keys must be unique' });
    }
  });

/** Parses and validates a class list; the error lists every problem found. */
export function parseSynthClasses(input: unknown): SynthClass[] {
  const result = synthClassesSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RangeError(`invalid synth classes: ${problems}`);
  }
  return result.data;
}
