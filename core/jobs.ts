import { z } from 'zod';

/**
 * Queue names and job payload contracts. Payloads are plain JSON, parsed with
 * these schemas where they are received (a worker never trusts its payload's shape).
 * Job ids are built from domain keys, so adding the same job twice is a no-op.
 */

export const QUEUES = {
  ingest: 'ingest',
  train: 'train',
  report: 'report',
  export: 'export',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const stationNo = z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,15}$/);
const lang = z.enum(['zh', 'en']);

/** Download, validate, clean, pre-label and preview one received photo. */
export const ingestJobSchema = z.object({
  stationNo,
  photoId: z.number().int().positive(),
  chatId: z.number().int(),
  lang,
  /** Set for album items: the worker sends one summary per album instead of one reply per photo. */
  mediaGroupId: z.string().optional(),
});
export type IngestJob = z.infer<typeof ingestJobSchema>;

/** Render a photo's preview with its latest boxes and send it (`send`) or replace the chat message's image (`edit`). Runs on the ingest queue. */
export const previewJobSchema = z.object({
  stationNo,
  photoId: z.number().int().positive(),
  chatId: z.number().int(),
  lang,
  mode: z.enum(['send', 'edit']),
  /** The user the editor link is signed for. */
  userId: z.number().int(),
});
export type PreviewJob = z.infer<typeof previewJobSchema>;
export const PREVIEW_JOB = 'preview';

export const trainJobSchema = z.object({
  stationNo,
  runId: z.string().min(1),
  chatId: z.number().int().optional(),
  lang,
});
export type TrainJob = z.infer<typeof trainJobSchema>;

export const reportJobSchema = z.object({
  stationNo,
  kind: z.enum(['stage1', 'stage2']),
  chatId: z.number().int(),
  lang,
});
export type ReportJob = z.infer<typeof reportJobSchema>;

export const exportJobSchema = z.object({
  stationNo,
  kind: z.enum(['dataset', 'handin']),
  chatId: z.number().int(),
  lang,
});
export type ExportJob = z.infer<typeof exportJobSchema>;

export const jobSchemas = {
  ingest: ingestJobSchema,
  train: trainJobSchema,
  report: reportJobSchema,
  export: exportJobSchema,
} as const;

export type JobPayload<Q extends QueueName> = z.infer<(typeof jobSchemas)[Q]>;

/** Idempotent job ids from domain keys (BullMQ ignores a second add with the same id). */
export const jobIds = {
  ingest: (j: Pick<IngestJob, 'photoId'>) => `ingest-${j.photoId}`,
  train: (j: Pick<TrainJob, 'runId'>) => `train-${j.runId}`,
  report: (j: Pick<ReportJob, 'stationNo' | 'kind'>, nonce: string) => `report-${j.stationNo}-${j.kind}-${nonce}`,
  export: (j: Pick<ExportJob, 'stationNo' | 'kind'>, nonce: string) => `export-${j.stationNo}-${j.kind}-${nonce}`,
} as const;
