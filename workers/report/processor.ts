import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { Input, Markup } from 'telegraf';
import { bestEffort, encodeCallback, reportJobSchema, t, type ReportJob } from '../../core/index.js';
import { loadReportFonts, renderStage1Report, renderStage2Report } from '../../reports/index.js';
import { stationPaths, writeFileAtomic } from '../../store/index.js';
import type { Processor, WorkerDeps } from '../processors.js';
import { fetchRunOutputs, writeThrough } from '../blob-sync.js';
import { stage1Data } from './stage1-data.js';
import { reportRun, stage2Data } from './stage2-data.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * The report job: assembles the stage-one or stage-two data from the store, renders
 * the PDF, writes it to `stations/<station>/reports/stage{1,2}.pdf` (atomically, so a
 * hand-in never picks up half a file) and sends it to the chat with a short caption.
 */
async function report(job: ReportJob, deps: WorkerDeps): Promise<unknown> {
  const { stationNo, lang } = job;
  let pdf: Buffer;
  let caption: string;
  if (job.kind === 'stage1') {
    const data = await stage1Data(deps.store, deps.exam, stationNo);
    pdf = await renderStage1Report(data);
    const review = data.acceptance ? t(lang, 'report.reviewed', { accuracy: pct(data.acceptance.accuracy) }) : t(lang, 'report.notReviewed');
    caption = t(lang, 'report.caption1', { station: stationNo, photos: data.cleaning.accepted, review });
  } else {
    const run = reportRun(deps.store, stationNo);
    if (!run) {
      await deps.telegram.sendMessage(job.chatId, t(lang, 'report.noRun'));
      return { kind: 'no-run' };
    }
    // A run trained on another host: its folder and model come from the object store first.
    await fetchRunOutputs(deps, run);
    const data = await stage2Data(deps.store, deps.exam, deps.config, run);
    pdf = await renderStage2Report(data);
    caption = t(lang, 'report.caption2', { station: stationNo, run: run.id, map50: data.metrics.map50.toFixed(3) });
  }
  const dir = stationPaths(deps.store.dataDir, stationNo).reports;
  mkdirSync(dir, { recursive: true });
  const file = `${job.kind}.pdf`;
  await writeFileAtomic(join(dir, file), pdf);
  await writeThrough(deps, [join(dir, file)], 'report');
  await deps.telegram.sendDocument(job.chatId, Input.fromBuffer(pdf, `${stationNo}-${file}`), { caption, parse_mode: 'HTML' });
  return { kind: 'sent', bytes: pdf.length };
}

/** BullMQ gave up on a report job: the chat hears it, with the command to send again. */
async function reportFailed(job: Job, err: Error, deps: WorkerDeps): Promise<void> {
  const p = reportJobSchema.safeParse(job.data);
  if (!p.success) return;
  const { chatId, lang, kind } = p.data;
  // A full disk is the operator's to fix, and its message names server paths: say it plainly instead.
  const isDiskFull = (err as NodeJS.ErrnoException).code === 'ENOSPC' || /\bENOSPC\b/.test(err.message);
  const text = isDiskFull
    ? t(lang, 'report.diskFull')
    : t(lang, 'report.failed', { error: err.message.slice(0, 300), command: kind === 'stage1' ? 'report1' : 'report2' });
  const retry = Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.retry'), encodeCallback('rr', kind))]);
  await bestEffort(deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...retry }), deps.log, 'report failure message');
}

export const reportProcessor: Processor = {
  concurrency: () => 1,
  process: (job: Job, deps: WorkerDeps) => report(reportJobSchema.parse(job.data), deps),
  failed: reportFailed,
  /**
   * Runs once when the worker starts: parses the CJK fonts (about half a second) so no
   * report pays it, and fails the start when fonts-noto-cjk is missing.
   */
  recover(deps: WorkerDeps) {
    loadReportFonts();
    deps.log.info('report fonts loaded');
    return Promise.resolve();
  },
};
