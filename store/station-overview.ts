import { existsSync } from 'node:fs';
import path from 'node:path';
import { capturePlan, planProgress, t, tallyReview, type ExamConfig, type Lang } from '../core/index.js';
import { stationPaths } from './layout.js';
import type { Store } from './open-store.js';
import type { RunStatus } from './types.js';

/**
 * One station's progress as the proctor sees it (issue 16 point 1), read fresh from the
 * store and the station's folder. The chat's `/stations` and the projector page render the
 * same rows. No contestant's name or ID number: only station numbers.
 */
export interface StationOverviewRow {
  stationNo: string;
  /** Accepted photos counted against the capture plan, and the plan's total. */
  accepted: number;
  planTotal: number;
  /** Photos confirmed (or reviewed). */
  confirmed: number;
  /** Accuracy of the latest finished review (0..1), null before the first; `reviewStale` when a sampled photo changed since. */
  reviewAccuracy: number | null;
  reviewStale: boolean;
  /** The station's newest contestant training run (not the background assist runs). */
  training: { run: string; status: RunStatus; epoch: number | null } | null;
  /** The deployed run, if any. */
  deployed: string | null;
  /** Which report PDFs exist. */
  reports: { stage1: boolean; stage2: boolean };
  diskBytes: number;
  /** Time left on the station's exam clock (ms), undefined while no clock knows. */
  timeLeftMs: number | undefined;
}

/** Time left on the station's exam clock (`/timer`), in ms; undefined before the clock starts. */
function clockLeftMs(store: Store, stationNo: string, now = Date.now()): number | undefined {
  const clock = store.guide.clock(stationNo);
  return clock ? Math.max(0, clock.startedAt + clock.durationMin * 60_000 - now) : undefined;
}

/** Reads every registered station's row, in station order. `timeLeft` is the exam clock's answer, when there is one. */
export function stationOverview(
  store: Store,
  exam: ExamConfig,
  opts: { timeLeft?: (stationNo: string) => number | undefined } = {},
): StationOverviewRow[] {
  const plan = capturePlan(exam);
  return store.stations.list().map(({ stationNo }) => {
    const progress = planProgress(plan, store.photos.countByCombo(stationNo));
    const { byStatus } = store.photos.summary(stationNo);
    const finished = store.reviews.list(stationNo).find((r) => r.finishedAt !== null);
    const run = store.runs.list(stationNo).filter((r) => r.kind === 'train').sort((a, b) => b.seq - a.seq)[0];
    const epoch = run?.progress && typeof run.progress.epoch === 'number' ? run.progress.epoch : null;
    const reports = stationPaths(store.dataDir, stationNo).reports;
    return {
      stationNo,
      accepted: progress.captured,
      planTotal: progress.total,
      confirmed: byStatus.confirmed + byStatus.reviewed,
      reviewAccuracy: finished ? tallyReview(store.reviews.items(finished.id)).accuracy : null,
      reviewStale: finished ? store.reviews.isStale(finished.id) : false,
      training: run ? { run: run.id, status: run.status, epoch } : null,
      deployed: store.runs.deployed(stationNo)?.id ?? null,
      reports: { stage1: existsSync(path.join(reports, 'stage1.pdf')), stage2: existsSync(path.join(reports, 'stage2.pdf')) },
      diskBytes: store.disk.station(stationNo).totalBytes,
      timeLeftMs: opts.timeLeft ? opts.timeLeft(stationNo) : clockLeftMs(store, stationNo),
    };
  });
}

const MB = 1024 * 1024;

/** "—" while nothing is known; else minutes, or hours and minutes. */
export function formatTimeLeft(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const min = Math.max(0, Math.ceil(ms / 60_000));
  return min < 60 ? `${min}m` : `${Math.floor(min / 60)}h${String(min % 60).padStart(2, '0')}`;
}

/** The cells of one row (the chat and the projector page share these cells, so they show the same figures). */
export function overviewCells(lang: Lang, r: StationOverviewRow): string[] {
  const acc = r.reviewAccuracy === null ? '—' : `${(100 * r.reviewAccuracy).toFixed(1)}%${r.reviewStale ? '*' : ''}`;
  const train = r.training
    ? `${r.training.run.slice(r.stationNo.length + 1)} ${t(lang, `stations.train.${r.training.status}`)}${r.training.status === 'running' && r.training.epoch !== null ? ` e${r.training.epoch}` : ''}`
    : '—';
  const deployed = r.deployed ? r.deployed.slice(r.stationNo.length + 1) : '—';
  const reports = [r.reports.stage1 ? '1' : '', r.reports.stage2 ? '2' : ''].filter(Boolean).join('+') || '—';
  return [r.stationNo, `${r.accepted}/${r.planTotal}`, String(r.confirmed), acc, train, deployed, reports, formatTimeLeft(r.timeLeftMs), (r.diskBytes / MB).toFixed(1)];
}

