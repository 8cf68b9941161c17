import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GuideFacts, RunFacts } from '../../agents/index.js';
import { capturePlan, comboClassIds, comboLabel, planProgress, tallyReview, type ExamConfig } from '../../core/index.js';
import { stationPaths, stationProgress, type Run, type Store } from '../../store/index.js';

const numberOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function runFacts(r: Run | undefined): RunFacts | undefined {
  if (!r) return undefined;
  const m = r.metrics ?? {};
  const out: RunFacts = { id: r.id };
  const set = (k: keyof Omit<RunFacts, 'id'>, v: unknown) => {
    const n = numberOf(v);
    if (n !== undefined) out[k] = n;
  };
  set('map50', m.map50);
  set('map5095', m.map50_95);
  set('precision', m.precision);
  set('recall', m.recall);
  set('epochs', numberOf(r.params.epochs));
  return out;
}

/**
 * Reads everything the guide's tools may quote about a station (and nothing personal: no
 * name, no ID number). One read per turn, synchronous, a few queries.
 */
export function readGuideFacts(store: Store, exam: ExamConfig, stationNo: string | undefined, now: number): GuideFacts {
  const plan = capturePlan(exam);
  const base = { classes: exam.classes, durationMin: exam.durationMin, sampleRate: exam.sampleRate, now };
  if (!stationNo) {
    const empty = planProgress(plan, new Map());
    return {
      ...base,
      plan: { total: empty.total, captured: 0, combos: [] },
      progress: { captured: 0, planned: empty.total, checking: 0, toConfirm: 0, confirmed: 0, reviewDone: false, report1: false, trainingStarted: false, trainingDone: false, deployed: false, report2: false, handin: false },
      rejected: { total: 0, byReason: {}, recent: [] },
      perClass: [],
      training: { completedRuns: 0 },
      deliverables: { report1: false, report2: false, handin: false, datasetExported: false },
    };
  }
  const progress = planProgress(plan, store.photos.countByCombo(stationNo));
  const label = (combo: string) => ({ zh: comboLabel(combo, exam.classes, 'zh'), en: comboLabel(combo, exam.classes, 'en') });
  const summary = store.photos.summary(stationNo);
  const recent = store.photos
    .list(stationNo, { status: 'rejected', limit: 10_000 })
    .slice(-50)
    .map((p) => ({ photoId: p.id, reason: p.rejectReason ?? 'corrupt', detail: p.rejectDetail, duplicateOf: p.duplicateOf }));
  const confirmed = store.labels.listConfirmed(stationNo);
  const perClass = exam.classes.map((c) => ({
    key: c.key,
    zh: c.zh,
    en: c.en,
    boxes: confirmed.reduce((n, p) => n + p.boxes.filter((b) => b.classId === c.id).length, 0),
    photos: confirmed.filter((p) => comboClassIds(p.photo.combo).includes(c.id)).length,
  }));
  const review = store.reviews.latest(stationNo);
  const tally = review ? tallyReview(store.reviews.items(review.id)) : undefined;
  const runs = store.runs.list(stationNo).filter((r) => r.kind === 'train');
  const completed = runs.filter((r) => r.status === 'completed');
  const best = [...completed].sort((a, b) => (numberOf(b.metrics?.map50) ?? -1) - (numberOf(a.metrics?.map50) ?? -1))[0];
  const active = runs.find((r) => r.status === 'queued' || r.status === 'running');
  const ap = active?.progress ?? {};
  const dirs = stationPaths(store.dataDir, stationNo);
  const p = stationProgress(store, exam, stationNo);
  const clock = store.guide.clock(stationNo);
  return {
    ...base,
    stationNo,
    plan: {
      total: progress.total,
      captured: progress.captured,
      combos: progress.items.map((i) => ({ key: i.combo, ...label(i.combo), captured: i.captured, quota: i.quota })),
      ...(progress.next ? { next: { key: progress.next.combo, ...label(progress.next.combo), remaining: progress.next.remaining } } : {}),
    },
    progress: p,
    rejected: { total: summary.byStatus.rejected, byReason: summary.byRejectReason, recent },
    perClass,
    ...(review && tally
      ? {
          review: {
            id: review.id,
            finished: review.finishedAt !== null,
            stale: store.reviews.isStale(review.id),
            sampled: new Set(store.reviews.items(review.id).map((i) => i.photoId)).size,
            qualified: tally.qualified,
            boxes: tally.boxes,
            missed: tally.missed,
            ...(tally.accuracy !== null ? { accuracy: tally.accuracy } : {}),
          },
        }
      : {}),
    training: {
      ...(active
        ? {
            active: {
              id: active.id,
              status: active.status,
              ...(numberOf(ap.epoch) !== undefined ? { epoch: numberOf(ap.epoch) } : {}),
              ...(numberOf(ap.epochs) !== undefined ? { epochs: numberOf(ap.epochs) } : {}),
              ...(numberOf(ap.valMap50) !== undefined ? { map50: numberOf(ap.valMap50) } : {}),
              ...(numberOf(ap.etaS) !== undefined ? { etaS: numberOf(ap.etaS) } : {}),
            },
          }
        : {}),
      ...(completed[0] ? { latest: runFacts(completed[0]) } : {}),
      ...(best ? { best: runFacts(best) } : {}),
      ...(store.runs.deployed(stationNo) ? { deployed: runFacts(store.runs.deployed(stationNo)) } : {}),
      completedRuns: completed.length,
    },
    deliverables: { report1: p.report1, report2: p.report2, handin: p.handin, datasetExported: existsSync(path.join(dirs.exports, `${stationNo}.zip`)) },
    ...(clock ? { clock: { startedAt: clock.startedAt, durationMin: clock.durationMin } } : {}),
  };
}
