import { extname, join } from 'node:path';
import type { Job } from 'bullmq';
import { Markup } from 'telegraf';
import { albumSummaryJobSchema, checkJobSchema, predictJobSchema, encodeCallback, reviewPhotoJobSchema, ingestJobSchema, previewJobSchema, t, type AlbumSummaryJob, type IngestJob, type Lang } from '../../core/index.js';
import { previewPhoto } from '../preview/processor.js';
import { checkFailed, checkStation } from '../check/processor.js';
import { sendReviewPhoto } from '../review/photo.js';
import { predict, predictFailed } from '../predict/processor.js';
import { ensureStationDirs, writeFileAtomic, type Photo } from '../../store/index.js';
import { inspectImage, sniffFormat, type RawImage } from '../../vision/index.js';
import { proposeLabels } from './propose.js';
import type { Processor, WorkerDeps } from '../processors.js';
import { writeThrough } from '../blob-sync.js';
import { downloadTelegramFile } from './download.js';
import { judgeAndRecord } from './judge.js';
import { notifyAlbum, notifyPhoto } from './notify.js';
import { nudgeMilestones } from '../guide/nudge.js';

/** Bytes kept of a file that inspection refused (type, pixel count, corrupt…): its head only. */
export const REFUSED_HEAD_BYTES = 4096;

/**
 * The ingest job: download → keep the original under raw/ → inspect (type by content,
 * pixel limit, orientation, hashes, quality) → verdict and record (one transaction) →
 * tell the chat. Exactly once: the row exists before the job (bot), the job id is the
 * photo id, and `photos.complete` applies only to a photo still `received`; a retried
 * job that finds the photo done only sends the reply it may not have sent.
 */
export async function ingestPhoto(job: IngestJob, deps: WorkerDeps): Promise<{ photo: Photo; display?: RawImage } | undefined> {
  let photo = deps.store.photos.get(job.photoId);
  if (!photo || photo.stationNo !== job.stationNo) return undefined;
  const inspected = photo.status === 'received';
  const display = inspected ? await inspectAndRecord(photo, deps) : undefined;
  photo = deps.store.photos.get(photo.id);
  if (!photo) return undefined;
  // Also after a crash between verdict and proposal: a clean photo without boxes gets them now.
  const proposed = photo.status === 'clean' && (await proposeLabels(deps, photo, display));
  if (proposed) photo = deps.store.photos.get(photo.id) ?? photo;
  // An accepted photo (just ingested, or restored from /clean) joins the shared object store
  // with its original; rejected ones stay local.
  if ((inspected || proposed) && photo.status !== 'rejected' && photo.imagePath) {
    await writeThrough(deps, [photo.imagePath, ...(photo.rawPath ? [photo.rawPath] : [])], 'photo');
  }
  return { photo, ...(display ? { display } : {}) };
}

async function inspectAndRecord(photo: Photo, deps: WorkerDeps): Promise<RawImage | undefined> {
  const { limits } = deps.exam;
  const paths = ensureStationDirs(deps.store.dataDir, photo.stationNo);
  const blank = { sha256: null, phash: null, format: null, width: null, height: null, sharpness: null, meanLuma: null, darkFraction: null, brightFraction: null, imagePath: null };
  const dl = await downloadTelegramFile(deps.telegram, photo.tgFileId, limits.maxFileBytes);
  if (dl.kind !== 'ok') {
    const rejectReason = dl.kind === 'too-large' ? 'too-large-file' : 'download-failed';
    deps.store.photos.complete(photo.id, {
      ...blank,
      rawPath: null,
      status: 'rejected',
      rejectReason,
      rejectDetail: dl.kind === 'too-large' ? `${(dl.bytes / 1048576).toFixed(1)} MB` : null,
    });
    deps.metrics?.ingestVerdicts.inc({ verdict: 'rejected', reason: rejectReason });
    return undefined;
  }
  const sniffed = sniffFormat(dl.data);
  const ext = sniffed.kind === 'accepted' ? sniffed.format : sniffed.kind === 'unsupported' ? sniffed.name : 'bin';
  const rawPath = join(paths.raw, `${photo.id}.${ext.replace(/[^a-z0-9]/g, '') || 'bin'}`);
  const insp = await inspectImage(dl.data, { maxInputPixels: limits.maxInputPixels, maxBytes: limits.maxFileBytes });
  if (insp.kind === 'rejected') {
    // A file refused by inspection keeps only its head (enough to see what it was), not its bulk.
    const headPath = `${rawPath}.head`;
    await writeFileAtomic(headPath, dl.data.subarray(0, REFUSED_HEAD_BYTES), { within: paths.root });
    deps.store.photos.complete(photo.id, {
      ...blank,
      rawPath: headPath,
      status: 'rejected',
      rejectReason: insp.reason,
      rejectDetail: insp.detail ?? null,
    });
    deps.metrics?.ingestVerdicts.inc({ verdict: 'rejected', reason: insp.reason });
    return undefined;
  }
  await writeFileAtomic(rawPath, dl.data, { within: paths.root });
  const imagePath = join(paths.images, `${photo.id}.jpg`);
  await writeFileAtomic(imagePath, insp.oriented, { within: paths.root });
  const judged = judgeAndRecord(deps.store, deps.exam, photo, insp, { rawPath, imagePath });
  // Counted once: only the job whose transaction applied the verdict (a retry finds it applied).
  if (judged.applied) deps.metrics?.ingestVerdicts.inc(judged.verdict.kind === 'accepted' ? { verdict: 'accepted', reason: 'none' } : { verdict: 'rejected', reason: judged.verdict.reason });
  deps.log.info({ station: photo.stationNo, photo: photo.id, verdict: judged.verdict, applied: judged.applied, ext: extname(rawPath) }, 'photo ingested');
  return insp.display;
}

async function summariseAlbum(job: AlbumSummaryJob, deps: WorkerDeps): Promise<void> {
  const progress = deps.store.ingest.albumProgress(job.stationNo, job.mediaGroupId);
  if (progress.done < progress.received) return; // a later item's completion adds the next summary job
  const photos = deps.store.ingest.claimAlbum(job.stationNo, job.mediaGroupId);
  const messageId = await notifyAlbum(deps, photos, job.chatId, job.lang);
  if (messageId !== undefined) for (const p of photos) deps.store.photos.setPreviewMessageId(p.id, messageId);
}

export const ingestProcessor: Processor = {
  concurrency: (config) => config.INGEST_CONCURRENCY,

  async process(job: Job, deps: WorkerDeps) {
    if (job.name === 'preview') return previewPhoto(previewJobSchema.parse(job.data), deps);
    if (job.name === 'check') return checkStation(checkJobSchema.parse(job.data), deps);
    if (job.name === 'review-photo') return sendReviewPhoto(reviewPhotoJobSchema.parse(job.data), deps);
    if (job.name === 'predict') return predict(predictJobSchema.parse(job.data), deps);
    if (job.name === 'album-summary') {
      await summariseAlbum(albumSummaryJobSchema.parse(job.data), deps);
      return { kind: 'album-summary' };
    }
    const data = ingestJobSchema.parse(job.data);
    const ingested = await ingestPhoto(data, deps);
    if (!ingested) return { kind: 'missing' };
    const { photo } = ingested;
    if (data.mediaGroupId) {
      // Debounce: one summary job per (received, done) state of the album; the one added
      // by the last item to finish sends the summary, after the album's other updates arrived.
      const p = deps.store.ingest.albumProgress(data.stationNo, data.mediaGroupId);
      await deps.jobs.enqueue('album-summary', { ...data, mediaGroupId: data.mediaGroupId, received: p.received, done: p.done }, { delay: 800 });
    } else if (photo.previewMessageId === null) {
      const messageId = await notifyPhoto(deps, photo, data.chatId, data.lang, ingested.display);
      deps.store.photos.setPreviewMessageId(photo.id, messageId);
    }
    if (photo.status !== 'rejected') await nudgeMilestones(deps, data.stationNo, data.chatId, data.lang, `p${photo.id}`);
    return { kind: photo.status === 'rejected' ? 'rejected' : 'accepted', photoId: photo.id };
  },

  failed: ingestFailed,

  /**
   * Photos the database says were received but never ingested get their job again (same
   * id: no duplicates; a failed copy holding the id is removed first).
   */
  async recover(deps: WorkerDeps, opts = {}) {
    const before = opts.olderThanMs === undefined ? undefined : Date.now() - opts.olderThanMs;
    for (const photo of deps.store.ingest.listReceived(1000, before)) {
      const user = deps.store.users.listByStation(photo.stationNo)[0];
      const data: IngestJob = { stationNo: photo.stationNo, photoId: photo.id, chatId: photo.chatId, lang: user?.lang ?? 'zh' };
      if (photo.mediaGroupId) data.mediaGroupId = photo.mediaGroupId;
      await deps.jobs.requeue('ingest', data);
    }
  },
};

async function tell(deps: WorkerDeps, chatId: number, text: string, extra: object = {}): Promise<void> {
  await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...extra });
}

/**
 * BullMQ gave up on an ingest-queue job. A photo still `received` is marked failed
 * (rejected, `processing-failed`: it counts toward no quota) and the chat gets a Retry
 * button; a preview or album summary that could not be sent is told once.
 */
async function ingestFailed(job: Job, _err: Error, deps: WorkerDeps): Promise<void> {
  if (job.name === 'preview') {
    const p = previewJobSchema.safeParse(job.data);
    if (p.success) await tell(deps, p.data.chatId, t(p.data.lang, 'preview.failed', { id: p.data.photoId }));
    return;
  }
  if (job.name === 'check') {
    const p = checkJobSchema.safeParse(job.data);
    if (p.success) await checkFailed(p.data, deps);
    return;
  }
  if (job.name === 'review-photo') {
    const p = reviewPhotoJobSchema.safeParse(job.data);
    if (p.success) await tell(deps, p.data.chatId, t(p.data.lang, 'review.photoFailed', { id: p.data.photoId }));
    return;
  }
  if (job.name === 'predict') {
    const p = predictJobSchema.safeParse(job.data);
    if (p.success) await predictFailed(p.data, deps);
    return;
  }
  if (job.name === 'album-summary') {
    const p = albumSummaryJobSchema.safeParse(job.data);
    if (p.success) await tell(deps, p.data.chatId, t(p.data.lang, 'album.failed'));
    return;
  }
  const p = ingestJobSchema.safeParse(job.data);
  if (!p.success) return;
  const blank = { sha256: null, phash: null, format: null, width: null, height: null, sharpness: null, meanLuma: null, darkFraction: null, brightFraction: null, imagePath: null };
  const photo = deps.store.photos.get(p.data.photoId);
  const done = deps.store.photos.complete(p.data.photoId, { ...blank, rawPath: photo?.rawPath ?? null, status: 'rejected', rejectReason: 'processing-failed', rejectDetail: null });
  const lang: Lang = p.data.lang;
  if (done.kind === 'applied') {
    await tell(deps, p.data.chatId, t(lang, 'ingest.failed', { id: p.data.photoId, attempts: job.attemptsMade }), Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.retry'), encodeCallback('rp', p.data.photoId))]));
  } else if (done.kind === 'already') {
    // Judged, but the verdict could not be sent: the photo is safe; say so once.
    await tell(deps, p.data.chatId, t(lang, 'preview.failed', { id: p.data.photoId }));
  }
}
