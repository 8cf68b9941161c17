import { z } from 'zod';

/**
 * The job registry: every job name → its queue, payload schema and id rule. Payloads
 * are plain JSON, parsed with these schemas by the producer before they leave and by
 * the worker where they arrive (a worker never trusts its payload's shape). Job ids are
 * built from domain keys only, so adding the same job twice is a no-op.
 */

export const QUEUES = {
  ingest: 'ingest',
  train: 'train',
  report: 'report',
  export: 'export',
  guide: 'guide',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const stationNo = z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,15}$/);
const lang = z.enum(['zh', 'en']);
/** A Telegram update or message id that made a request (keeps a repeated command a new job). */
const requestId = z.number().int().nonnegative();

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

/**
 * Send one summary for an album once all its photos are done. One job per
 * (received, done) state of the album: the last item to finish adds the one that sends.
 */
export const albumSummaryJobSchema = ingestJobSchema.extend({
  mediaGroupId: z.string().min(1),
  received: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
});
export type AlbumSummaryJob = z.infer<typeof albumSummaryJobSchema>;

/** Render a photo's preview with its latest boxes and send it (`send`) or replace the chat message's image (`edit`). Runs on the ingest queue. */
export const previewJobSchema = z.object({
  stationNo,
  photoId: z.number().int().positive(),
  chatId: z.number().int(),
  lang,
  mode: z.enum(['send', 'edit']),
  /** The user the editor link is signed for. */
  userId: z.number().int(),
  /** The label version drawn (0: none yet); a new version is a new job. */
  version: z.number().int().nonnegative(),
  /** For `send`: the update or message that asked for it, so a second /label still sends. */
  requestId: requestId.optional(),
});
export type PreviewJob = z.infer<typeof previewJobSchema>;

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
  requestId,
});
export type ReportJob = z.infer<typeof reportJobSchema>;

export const exportJobSchema = z.object({
  stationNo,
  kind: z.enum(['dataset', 'handin']),
  chatId: z.number().int(),
  lang,
  requestId,
});
export type ExportJob = z.infer<typeof exportJobSchema>;

/**
 * `/import` of the judges' standard dataset, on the export queue. `fetch`: download the
 * zip the user sent, extract it safely into the station's folder, detect, validate, map
 * classes (asking the user when they do not match one to one); `apply`: the same with the
 * user's class choices, then save. A source class index → exam class id, or null = drop.
 */
export const importJobSchema = z.object({
  stationNo,
  chatId: z.number().int(),
  userId: z.number().int(),
  lang,
  /** The message that carried the zip: it names the import's working folder. */
  requestId,
  stage: z.enum(['fetch', 'apply']),
  fileId: z.string().min(1).max(256),
  fileName: z.string().max(256),
  chosen: z.record(z.string().regex(/^\d{1,4}$/), z.number().int().nonnegative().nullable()).optional(),
  /** The dataset came as loose documents collected after /import (store.dataset.uploads), not one zip. */
  loose: z.boolean().optional(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

/**
 * `/check`: measure the station's boxes against the image evidence and send the findings
 * (`send`), or re-run and replace the list in `messageId` (`edit`, the Refresh and page buttons).
 */
export const checkJobSchema = z.object({
  stationNo,
  chatId: z.number().int(),
  lang,
  mode: z.enum(['send', 'edit']),
  /** The message to edit in `edit` mode. */
  messageId: z.number().int().positive().optional(),
  page: z.number().int().nonnegative(),
  /** The /check message id (`send`) or the button press's update id (`edit`): each request is a new job. */
  requestId,
  /**
   * Snap / 贴合 on a loose-box finding: before checking, move photo `photoId`'s loose sides in
   * by what the check measures, as a new label by `userId` — only while `version` is still
   * its confirmed label (an older button does nothing).
   */
  snap: z
    .object({ photoId: z.number().int().positive(), version: z.number().int().positive(), userId: z.number().int() })
    .optional(),
});
export type CheckJob = z.infer<typeof checkJobSchema>;

/** `/review`: send one sampled photo drawn with its confirmed boxes, numbered as the review lists them. */
export const reviewPhotoJobSchema = z.object({
  stationNo,
  reviewId: z.number().int().positive(),
  photoId: z.number().int().positive(),
  chatId: z.number().int(),
  lang,
  /** The press or command that asked for it, so asking again sends again. */
  requestId,
});
export type ReviewPhotoJob = z.infer<typeof reviewPhotoJobSchema>;

/**
 * `/deploy` and `/predict`: run the station's deployed model (`runId`) on one image and send
 * it annotated, with the detections in the caption. `val`: a stored val photo (`photoId`);
 * `upload`: a photo the user sent after `/predict` (`fileId`), downloaded by the worker and
 * never captured into the dataset. Runs on the ingest queue (the bot never decodes images).
 */
export const predictJobSchema = z
  .object({
    stationNo,
    runId: z.string().min(1).max(64),
    chatId: z.number().int(),
    lang,
    source: z.enum(['val', 'upload']),
    photoId: z.number().int().positive().optional(),
    fileId: z.string().min(1).max(256).optional(),
    /** The command, photo message or press that asked: each request is a new job. */
    requestId,
  })
  .refine((j) => (j.source === 'val' ? j.photoId !== undefined : j.fileId !== undefined), { message: 'val needs photoId, upload needs fileId' });
export type PredictJob = z.infer<typeof predictJobSchema>;

/**
 * The guide (issue 15): answer one question (free text or `/ask`). The text is the user's
 * own words with any ID number already masked by the bot; `stationNo` is absent before
 * registration. `requestId` is the message id, so each question is its own job.
 */
export const guideJobSchema = z.object({
  stationNo: stationNo.optional(),
  chatId: z.number().int(),
  lang,
  text: z.string().min(1).max(2000),
  requestId,
});
export type GuideJob = z.infer<typeof guideJobSchema>;

/** The guide: announce the milestones the station has newly reached (each once; the store records them). */
export const milestonesJobSchema = z.object({
  stationNo,
  chatId: z.number().int(),
  lang,
  /** What made it (an update, photo or run): each trigger is its own job; the store keeps it said once. */
  requestId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
});
export type MilestonesJob = z.infer<typeof milestonesJobSchema>;

/** The exam clock: checkpoint `minute` of the countdown started at `startedAt` (a delayed job). */
export const clockCheckJobSchema = z.object({
  stationNo,
  startedAt: z.number().int().nonnegative(),
  minute: z.number().int().nonnegative(),
});
export type ClockCheckJob = z.infer<typeof clockCheckJobSchema>;

interface JobDef<S extends z.ZodTypeAny> {
  queue: QueueName;
  schema: S;
  /** The job id from domain keys (BullMQ ignores a second add with the same id). */
  id: (payload: z.infer<S>) => string;
}
const def = <S extends z.ZodTypeAny>(d: JobDef<S>): JobDef<S> => d;

/** Every job name this product puts on a queue. */
export const JOBS = {
  ingest: def({ queue: QUEUES.ingest, schema: ingestJobSchema, id: (j) => `ingest-${j.photoId}` }),
  'album-summary': def({
    queue: QUEUES.ingest,
    schema: albumSummaryJobSchema,
    id: (j) => `album-${j.stationNo}-${j.mediaGroupId}-${j.received}-${j.done}`,
  }),
  preview: def({
    queue: QUEUES.ingest,
    schema: previewJobSchema,
    id: (j) => `preview-${j.photoId}-v${j.version}-${j.mode}${j.requestId !== undefined ? `-r${j.requestId}` : ''}`,
  }),
  train: def({ queue: QUEUES.train, schema: trainJobSchema, id: (j) => `train-${j.runId}` }),
  report: def({ queue: QUEUES.report, schema: reportJobSchema, id: (j) => `report-${j.stationNo}-${j.kind}-r${j.requestId}` }),
  export: def({ queue: QUEUES.export, schema: exportJobSchema, id: (j) => `export-${j.stationNo}-${j.kind}-r${j.requestId}` }),
  import: def({ queue: QUEUES.export, schema: importJobSchema, id: (j) => `import-${j.stationNo}-r${j.requestId}-${j.stage}` }),
  check: def({ queue: QUEUES.ingest, schema: checkJobSchema, id: (j) => `check-${j.stationNo}-${j.mode}-r${j.requestId}` }),
  'review-photo': def({
    queue: QUEUES.ingest,
    schema: reviewPhotoJobSchema,
    id: (j) => `review-photo-${j.reviewId}-${j.photoId}-r${j.requestId}`,
  }),
  predict: def({ queue: QUEUES.ingest, schema: predictJobSchema, id: (j) => `predict-${j.stationNo}-${j.runId}-${j.source}-r${j.requestId}` }),
  guide: def({ queue: QUEUES.guide, schema: guideJobSchema, id: (j) => `guide-${j.chatId}-r${j.requestId}` }),
  milestones: def({ queue: QUEUES.guide, schema: milestonesJobSchema, id: (j) => `milestones-${j.stationNo}-${j.requestId}` }),
  'clock-check': def({ queue: QUEUES.guide, schema: clockCheckJobSchema, id: (j) => `clock-${j.stationNo}-${j.startedAt}-m${j.minute}` }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

/** Whether a queue's job name is one this product knows. */
export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOBS, name);
}

/** The id a job of `name` with `payload` gets. */
export function jobId<N extends JobName>(name: N, payload: JobPayload<N>): string {
  return (JOBS[name].id as (p: JobPayload<N>) => string)(payload);
}
