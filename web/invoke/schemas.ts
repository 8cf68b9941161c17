import { z } from 'zod';
import { INVOKE_ERROR_CODES } from './copy.js';

/**
 * The invocation API's JSON shapes, as zod schemas: the OpenAPI document is generated
 * from them (`openapi.ts`), and the route builds its answers with the same types, so
 * the document cannot drift from the code. Strict objects: an unexpected field in an
 * answer fails the contract test.
 */

/** Query limits: `threshold` 0..1, `max` 1..300. */
export const MAX_DETECTIONS_LIMIT = 300;
export const DEFAULT_MAX_DETECTIONS = 100;

const bilingual = z.strictObject({ zh: z.string(), en: z.string() });

export const boxSchema = z
  .strictObject({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number() })
  .meta({ description: 'Corners in pixels of the upright image (EXIF orientation applied), x right, y down; x1 < x2, y1 < y2.' });

export const detectionSchema = z.strictObject({
  box: boxSchema,
  classId: z.int().min(0).meta({ description: 'Exam class id (0-based).' }),
  key: z.string().meta({ description: 'Exam class key, e.g. gauge_normal.' }),
  zh: z.string().meta({ description: 'Class name in Chinese.' }),
  en: z.string().meta({ description: 'Class name in English.' }),
  score: z.number().min(0).max(1),
});

export const detectResponseSchema = z
  .strictObject({
    run: z.string().meta({ description: 'Training run whose model answered, e.g. A01-r3.' }),
    model: z.strictObject({
      file: z.string().meta({ description: 'Model file name under the station folder (models/<run>.onnx).' }),
      deployedAt: z.string().meta({ description: 'When the run was deployed (ISO 8601, UTC).' }),
    }),
    inferenceMs: z.number().min(0).meta({ description: 'Milliseconds in the detector (waiting for the model included).' }),
    totalMs: z.number().min(0).meta({ description: 'Milliseconds from the request reaching the service to the answer (upload, decode, inference).' }),
    image: z.strictObject({ width: z.int().min(1), height: z.int().min(1) }).meta({ description: 'Size of the upright image, px.' }),
    threshold: z.number().min(0).max(1).meta({ description: 'Score threshold applied.' }),
    detections: z.array(detectionSchema).max(MAX_DETECTIONS_LIMIT).meta({ description: 'Highest score first.' }),
  });

const classMetricSchema = z.strictObject({
  classId: z.int().min(0),
  key: z.string(),
  zh: z.string(),
  en: z.string(),
  ap50: z.number().nullable().meta({ description: 'AP at IoU 0.5 on the val photos; null without ground truth.' }),
  ap50_95: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
});

export const modelResponseSchema = z
  .strictObject({
    station: z.string(),
    run: z.string(),
    deployedAt: z.string().meta({ description: 'ISO 8601, UTC.' }),
    metrics: z
      .strictObject({
        map50: z.number().nullable(),
        map50_95: z.number().nullable(),
        precision: z.number().nullable(),
        recall: z.number().nullable(),
        perClass: z.array(classMetricSchema),
      })
      .nullable()
      .meta({ description: 'Evaluation of the run on its val photos; null when the run recorded none.' }),
    classes: z.array(z.strictObject({ id: z.int().min(0), key: z.string(), zh: z.string(), en: z.string(), color: z.string() })),
  });

export const errorResponseSchema = z
  .strictObject({
    error: z.enum(INVOKE_ERROR_CODES as [string, ...string[]]).meta({ description: 'Stable code to branch on.' }),
    message: bilingual.meta({ description: 'What went wrong and how to fix it, in Chinese and English.' }),
  });

export type DetectResponse = z.infer<typeof detectResponseSchema>;
export type ModelResponse = z.infer<typeof modelResponseSchema>;
export type DetectionOut = z.infer<typeof detectionSchema>;
