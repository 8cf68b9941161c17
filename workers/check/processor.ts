import { runCheck, t, unlessBenign, type CheckJob } from '../../core/index.js';
import type { WorkerDeps } from '../processors.js';
import { loadCheckPhotos } from './inputs.js';
import { checkMessage } from './message.js';
import { applySnapFix } from './snap-fix.js';

/**
 * The `/check` job (ingest queue): reads the station's photos, confirmed boxes and the
 * detector's proposals, measures edges (decoding only confirmed photos whose label
 * version it has not measured yet), runs the pure check and sends the list (`send`)
 * or replaces it in place (`edit`: Refresh and page buttons). A Snap / 贴合 press first
 * moves that photo's loose sides in (`snap-fix.ts`), so the edited list shows the result.
 */
export async function checkStation(job: CheckJob, deps: WorkerDeps): Promise<{ kind: string; findings: number; decoded: number }> {
  if (job.snap) {
    const fixed = await applySnapFix(deps.store, job.stationNo, job.snap);
    deps.log.info({ station: job.stationNo, photoId: job.snap.photoId, boxes: fixed?.boxes ?? 0, version: fixed?.version }, 'check: snapped loose boxes');
  }
  const { photos, stats } = await loadCheckPhotos(deps.store, job.stationNo);
  const findings = runCheck({ exam: deps.exam, photos });
  const versionOf = (photoId: number): number | null => deps.store.photos.getForStation(job.stationNo, photoId)?.labelVersion ?? null;
  const m = checkMessage(findings, { stationNo: job.stationNo, classes: deps.exam.classes, lang: job.lang, page: job.page, versionOf });
  if (job.mode === 'edit' && job.messageId !== undefined) {
    await unlessBenign(
      deps.telegram.editMessageText(job.chatId, job.messageId, undefined, m.text, { parse_mode: 'HTML', reply_markup: m.keyboard }));
  } else {
    await deps.telegram.sendMessage(job.chatId, m.text, { parse_mode: 'HTML', reply_markup: m.keyboard });
  }
  deps.log.info({ station: job.stationNo, findings: findings.length, decoded: stats.decoded, cached: stats.cached }, 'check done');
  return { kind: 'checked', findings: findings.length, decoded: stats.decoded };
}

/** The final-failure step: the chat is told once, so a failed check is never silence. */
export async function checkFailed(data: CheckJob, deps: WorkerDeps): Promise<void> {
  await deps.telegram.sendMessage(data.chatId, t(data.lang, 'check.failed'), { parse_mode: 'HTML' });
}
