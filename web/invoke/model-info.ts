import { z } from 'zod';
import { classPalette, type ExamConfig } from '../../core/index.js';
import type { Run } from '../../store/index.js';
import type { ModelResponse } from './schemas.js';

/**
 * What the visual page lists about the deployed model: the run, when it was deployed,
 * and its evaluation on the val photos (the train worker stores core's
 * `DetectionEvaluation` fields in `run.metrics`). Runs from older versions may lack
 * metrics or some fields: those come out null rather than failing the page.
 */


const ratio = z.number().finite().nullable().catch(null);
const storedMetrics = z.object({
  map50: ratio.optional(),
  map50_95: ratio.optional(),
  precision: ratio.optional(),
  recall: ratio.optional(),
  perClass: z
    .array(z.object({ classId: z.int(), ap50: ratio.optional(), ap50_95: ratio.optional(), precision: ratio.optional(), recall: ratio.optional() }))
    .catch([])
    .optional(),
});

/** The `GET …/model` answer for a deployed run. */
export function modelInfo(run: Run, exam: ExamConfig): ModelResponse {
  const parsed = storedMetrics.safeParse(run.metrics ?? undefined);
  const m = parsed.success ? parsed.data : undefined;
  const byId = new Map(exam.classes.map((c) => [c.id, c]));
  return {
    station: run.stationNo,
    run: run.id,
    deployedAt: new Date(run.deployedAt ?? 0).toISOString(),
    metrics: m
      ? {
          map50: m.map50 ?? null,
          map50_95: m.map50_95 ?? null,
          precision: m.precision ?? null,
          recall: m.recall ?? null,
          perClass: (m.perClass ?? []).map((c) => {
            const cls = byId.get(c.classId);
            const name = cls ?? { key: `class_${c.classId}`, zh: `class_${c.classId}`, en: `class_${c.classId}` };
            return {
              classId: c.classId,
              key: name.key,
              zh: name.zh,
              en: name.en,
              ap50: c.ap50 ?? null,
              ap50_95: c.ap50_95 ?? null,
              precision: c.precision ?? null,
              recall: c.recall ?? null,
            };
          }),
        }
      : null,
    // The one class palette (the chat preview and the editor use it too), so a class looks the same everywhere.
    classes: exam.classes.map((c, i, all) => ({ id: c.id, key: c.key, zh: c.zh, en: c.en, color: classPalette(all.length)[c.id] ?? '#ff3b30' })),
  };
}
