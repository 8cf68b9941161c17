import { extname, join } from 'node:path';
import type { Job } from 'bullmq';
import { ingestJobSchema, jobIds, PREVIEW_JOB, previewJobSchema, QUEUES, type IngestJob } from '../../core/index.js';
import { previewPhoto } from '../preview/processor.js';
import { ensureStationDirs, writeFileAtomic, type Photo } from '../../store/index.js';
import { inspectImage, sniffFormat, type RawImage } from '../../vision/index.js';
import { proposeLabels } from './propose.js';
import type { Processor, WorkerDeps } from '../processors.js';
import { downloadTelegramFile } from './download.js';
import { judgeAndRecord } from './judge.js';
import { notifyAlbum, notifyPhoto } from './notify.js';

/** Bytes kept of a file that inspection refused (type, pixel count, corrupt…): its head only. */
export const REFUSED_HEAD_BYTES = 4096;

/** Job name of the album summary (same queue as ingest). */
export const ALBUM_SUMMARY = 'album-summary';

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
  const display = photo.status === 'received' ? await inspectAndRecord(photo, deps) : undefined;
  photo = deps.store.photos.get(photo.id);
  if (!photo) return undefined;
  // Also after a crash between verdict and proposal: a clean photo without boxes gets them now.
  if (photo.status === 'clean' && (await proposeLabels(deps, photo, display))) photo = deps.store.photos.get(photo.id) ?? photo;
  return { photo, ...(display ? { display } : {}) };
}

async function inspectAndRecord(photo: Photo, deps: WorkerDeps): Promise<RawImage | undefined> {
  const { limits } = deps.exam;
  const paths = ensureStationDirs(deps.store.dataDir, photo.stationNo);
  const blank = { sha256: null, phash: null, format: null, width: null, height: null, sharpness: null, meanLuma: null, darkFraction: null, brightFraction: null, imagePath: null };
  const dl = await downloadTelegramFile(deps.telegram, photo.tgFileId, limits.maxFileBytes);
  if (dl.kind !== 'ok') {
    deps.store.photos.complete(photo.id, {
      ...blank,
      rawPath: null,
      status: 'rejected',
      rejectReason: dl.kind === 'too-large' ? 'too-large-file' : 'download-failed',
      rejectDetail: dl.kind === 'too-large' ? `${(dl.bytes / 1048576).toFixed(1)} MB` : null,
    });
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
    return undefined;
  }
  await writeFileAtomic(rawPath, dl.data, { within: paths.root });
  const imagePath = join(paths.images, `${photo.id}.jpg`);
  await writeFileAtomic(imagePath, insp.oriented, { within: paths.root });
  const judged = judgeAndRecord(deps.store, deps.exam, photo, insp, { rawPath, imagePath });
  deps.log.info({ station: photo.stationNo, photo: photo.id, verdict: judged.verdict, applied: judged.applied, ext: extname(rawPath) }, 'photo ingested');
  return insp.display;
}

async function summariseAlbum(job: IngestJob & { mediaGroupId: string }, deps: WorkerDeps): Promise<void> {
  const progress = deps.store.ingest.albumProgress(job.stationNo, job.mediaGroupId);
  if (progress.done < progress.received) return; // a later item's completion adds the next summary job
  const photos = deps.store.ingest.claimAlbum(job.stationNo, job.mediaGroupId);
  const messageId = await notifyAlbum(deps, photos, job.chatId, job.lang);
  if (messageId !== undefined) for (const p of photos) deps.store.photos.setPreviewMessageId(p.id, messageId);
}

export const ingestProcessor: Processor = {
  concurrency: (config) => config.INGEST_CONCURRENCY,

  async process(job: Job, deps: WorkerDeps) {
    if (job.name === PREVIEW_JOB) return previewPhoto(previewJobSchema.parse(job.data), deps);
    const data = ingestJobSchema.parse(job.data);
    if (job.name === ALBUM_SUMMARY && data.mediaGroupId) {
      await summariseAlbum({ ...data, mediaGroupId: data.mediaGroupId }, deps);
      return { kind: 'album-summary' };
    }
    const ingested = await ingestPhoto(data, deps);
    if (!ingested) return { kind: 'missing' };
    const { photo } = ingested;
    if (data.mediaGroupId) {
      // Debounce: one summary job per (received, done) state of the album; the one added
      // by the last item to finish sends the summary, after the album's other updates arrived.
      const p = deps.store.ingest.albumProgress(data.stationNo, data.mediaGroupId);
      await deps.enqueue(QUEUES.ingest, ALBUM_SUMMARY, data, {
        jobId: `album-${data.stationNo}-${data.mediaGroupId}-${p.received}-${p.done}`,
        delay: 800,
      });
    } else if (photo.previewMessageId === null) {
      const messageId = await notifyPhoto(deps, photo, data.chatId, data.lang, ingested.display);
      deps.store.photos.setPreviewMessageId(photo.id, messageId);
    }
    return { kind: photo.status === 'rejected' ? 'rejected' : 'accepted', photoId: photo.id };
  },

  /** Photos the database says were received but never ingested get their job again (same id: no duplicates). */
  async recover(deps: WorkerDeps, opts = {}) {
    const before = opts.olderThanMs === undefined ? undefined : Date.now() - opts.olderThanMs;
    for (const photo of deps.store.ingest.listReceived(1000, before)) {
      const user = deps.store.users.listByStation(photo.stationNo)[0];
      const data: IngestJob = { stationNo: photo.stationNo, photoId: photo.id, chatId: photo.chatId, lang: user?.lang ?? 'zh' };
      if (photo.mediaGroupId) data.mediaGroupId = photo.mediaGroupId;
      await deps.enqueue(QUEUES.ingest, QUEUES.ingest, data, { jobId: jobIds.ingest(data) });
    }
  },
};
