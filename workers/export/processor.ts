import type { Job } from 'bullmq';
import { bestEffort, exportJobSchema, importJobSchema, handinFolderName, t, type ExportJob, type Lang } from '../../core/index.js';
import type { Processor, WorkerDeps } from '../processors.js';
import { writeThrough } from '../blob-sync.js';
import { buildDataset } from './build-dataset.js';
import { deliverZip } from './deliver.js';
import { buildHandin } from './handin.js';
import { importDir, runImport } from './import-job.js';
import { rm } from 'node:fs/promises';

/** A path as the chat shows it: relative to DATA_DIR, so the message says where without the machine's layout. */
function shown(deps: WorkerDeps, path: string): string {
  return path.startsWith(deps.store.dataDir) ? `DATA_DIR${path.slice(deps.store.dataDir.length)}` : path;
}

/** One progress message, sent on the first call and edited after. */
function progressMessage(deps: WorkerDeps, chatId: number) {
  let id: number | undefined;
  let last = '';
  return async (text: string) => {
    if (text === last) return;
    last = text;
    if (id === undefined) {
      const sent = await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML' }).catch((err: unknown) => {
        deps.log.warn({ err }, 'could not send the export progress message');
        return undefined;
      });
      id = sent?.message_id;
    } else {
      await bestEffort(deps.telegram.editMessageText(chatId, id, undefined, text, { parse_mode: 'HTML' }), deps.log, 'export progress edit');
    }
  };
}

async function exportDatasetJob(job: ExportJob, deps: WorkerDeps): Promise<unknown> {
  const { lang } = job;
  const progress = progressMessage(deps, job.chatId);
  const count = deps.store.labels.listConfirmed(job.stationNo).length;
  if (count > 0) await progress(t(lang, 'dataset.progress', { station: job.stationNo, photos: count }));
  const built = await buildDataset(deps.store, deps.exam, job.stationNo);
  if (!built) {
    await deps.telegram.sendMessage(job.chatId, t(lang, 'dataset.empty'));
    return { kind: 'empty' };
  }
  await writeThrough(deps, [built.zip], 'dataset export');
  let caption = t(lang, 'dataset.done', {
    station: job.stationNo,
    task: deps.exam.taskName,
    photos: built.photos,
    train: built.train,
    val: built.val,
    boxes: built.boxes,
    folder: shown(deps, built.folder),
    zip: shown(deps, built.zip),
  });
  if (built.skipped > 0) caption += `\n${t(lang, 'dataset.skipped', { count: built.skipped })}`;
  const sent = await deliverZip(deps, job, 'dataset', built.zip, caption);
  return { kind: 'dataset', sent, photos: built.photos, boxes: built.boxes };
}

async function handinJob(job: ExportJob, deps: WorkerDeps): Promise<unknown> {
  const { lang } = job;
  const station = deps.store.stations.get(job.stationNo);
  const progress = progressMessage(deps, job.chatId);
  await progress(t(lang, 'handin.queued', { station: job.stationNo }));
  const h = station ? await buildHandin(deps.store, deps.exam, job.stationNo) : undefined;
  if (!station || !h) {
    await deps.telegram.sendMessage(job.chatId, t(lang, 'handin.noStation'));
    return { kind: 'no-station' };
  }
  await writeThrough(deps, [h.zip], 'hand-in');
  // The chat shows the folder name with the ID masked; the full ID is only on disk and in the zip.
  const masked = handinFolderName(station.contestantName, station.idMasked);
  const mask = (s: string) => s.split(h.folderName).join(masked);
  const parts = [t(lang, 'handin.part.images', { count: h.images })];
  const missing: string[] = [];
  (h.dataset ? parts : missing).push(t(lang, 'handin.part.dataset'));
  (h.report1 ? parts : missing).push(t(lang, 'handin.part.report1'));
  if (h.model) parts.push(t(lang, 'handin.part.model', { run: h.model }));
  else missing.push(t(lang, 'handin.part.model', { run: '' }).trim());
  (h.report2 ? parts : missing).push(t(lang, 'handin.part.report2'));
  const sep = lang === 'zh' ? '、' : ', ';
  let caption = t(lang, 'handin.done', { folder: mask(h.folderName), parts: parts.join(sep), path: mask(shown(deps, h.folder)) });
  if (missing.length > 0) caption += `\n${t(lang, 'handin.missing', { items: missing.join(sep) })}`;
  const sent = await deliverZip(deps, job, 'handin', h.zip, caption);
  return { kind: 'handin', sent, images: h.images, model: h.model ?? null };
}

/**
 * The `export` queue: `export` jobs build the dataset (`kind: dataset`) or the hand-in
 * folder (`kind: handin`) and send the zip; `import` jobs bring the judges' standard
 * dataset in. Each job names the station it acts on; the bot only enqueues for the
 * station of the user who asked.
 */
export const exportProcessor: Processor = {
  async process(job: Job, deps: WorkerDeps) {
    if (job.name === 'import') {
      const payload = importJobSchema.parse(job.data);
      return runImport(payload, deps, progressMessage(deps, payload.chatId));
    }
    if (job.name === 'export') {
      const payload = exportJobSchema.parse(job.data);
      return payload.kind === 'dataset' ? exportDatasetJob(payload, deps) : handinJob(payload, deps);
    }
    throw new Error(`export queue: unknown job name ${JSON.stringify(job.name)}; add it to core/jobs.ts and this processor`);
  },
  concurrency: () => 1,
  async failed(job: Job, err: Error, deps: WorkerDeps) {
    const data = job.data as { chatId?: unknown; lang?: unknown };
    deps.log.error({ err, job: job.id, name: job.name }, 'export job failed for good');
    if (job.name === 'import') {
      // The import's working folder goes; nothing of it was saved (the save is one transaction).
      const parsed = importJobSchema.safeParse(job.data);
      if (parsed.success) await rm(importDir(deps.store.dataDir, parsed.data.stationNo, parsed.data.requestId), { recursive: true, force: true });
    }
    if (typeof data.chatId !== 'number') return;
    const lang: Lang = data.lang === 'en' ? 'en' : 'zh';
    await bestEffort(deps.telegram.sendMessage(data.chatId, t(lang, job.name === 'import' ? 'import.failed' : 'export.failed')), deps.log, 'export failure notice');
  },
};
