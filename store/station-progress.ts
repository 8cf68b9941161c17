import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { capturePlan, planProgress, type ExamConfig, type StationProgress } from '../core/index.js';
import { stationPaths } from './layout.js';
import type { Store } from './open-store.js';

/**
 * Which steps of the exam a station has done, from its rows and files (the guide's pace, its
 * milestones and `/status` read the same). Reports and the hand-in count once their files
 * exist (`reports/stage1.pdf`, a folder under `handin/`).
 */
export function stationProgress(store: Store, exam: ExamConfig, stationNo: string): StationProgress {
  const progress = planProgress(capturePlan(exam), store.photos.countByCombo(stationNo));
  const s = store.photos.summary(stationNo).byStatus;
  const runs = store.runs.list(stationNo).filter((r) => r.kind === 'train');
  const latestReview = store.reviews.latest(stationNo);
  const dirs = stationPaths(store.dataDir, stationNo);
  return {
    captured: progress.captured,
    planned: progress.total,
    checking: s.received,
    toConfirm: s.clean + s.prelabeled,
    confirmed: s.confirmed + s.reviewed,
    reviewDone: latestReview?.finishedAt != null && !store.reviews.isStale(latestReview.id),
    report1: existsSync(path.join(dirs.reports, 'stage1.pdf')),
    trainingStarted: runs.length > 0,
    trainingDone: runs.some((r) => r.status === 'completed'),
    deployed: store.runs.deployed(stationNo) !== undefined,
    report2: existsSync(path.join(dirs.reports, 'stage2.pdf')),
    handin: hasEntries(dirs.handin),
  };
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => !n.startsWith('.'));
  } catch {
    return false;
  }
}
