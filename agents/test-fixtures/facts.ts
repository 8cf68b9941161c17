import { loadExamConfigFile } from '../../store/index.js';
import type { GuideFacts } from '../facts.js';

/** The default exam's classes (read from the shipped config, as the product does). */
export const EXAM = loadExamConfigFile('config/exam.yaml');

/** 09:00 UTC on a fixed day: the facts' `now` and the clock's start in these fixtures. */
export const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

/**
 * A station half way through Task 1: 57/100 photos, 49 confirmed, 5 waiting, 3 rejected;
 * one completed run (mAP50 0.873) and one training; review finished (accuracy 0.9);
 * the clock started 65 minutes ago. Every number is distinct, so an answer quoting one
 * shows which fact it came from.
 */
export function midExamFacts(over: Partial<GuideFacts> = {}): GuideFacts {
  const classes = EXAM.classes;
  const c = (i: number) => classes[i] ?? { key: '?', zh: '?', en: '?' };
  return {
    stationNo: 'A07',
    classes,
    durationMin: 120,
    sampleRate: 0.2,
    plan: {
      total: 100,
      captured: 57,
      combos: [
        { key: '0', zh: c(0).zh, en: c(0).en, captured: 10, quota: 10 },
        { key: '1', zh: c(1).zh, en: c(1).en, captured: 10, quota: 10 },
        { key: '2', zh: c(2).zh, en: c(2).en, captured: 10, quota: 10 },
        { key: '0+1', zh: `${c(0).zh}+${c(1).zh}`, en: `${c(0).en} + ${c(1).en}`, captured: 20, quota: 20 },
        { key: '0+2', zh: `${c(0).zh}+${c(2).zh}`, en: `${c(0).en} + ${c(2).en}`, captured: 7, quota: 20 },
        { key: '1+2', zh: `${c(1).zh}+${c(2).zh}`, en: `${c(1).en} + ${c(2).en}`, captured: 0, quota: 20 },
        { key: '0+1+2', zh: '三类', en: 'all three', captured: 0, quota: 10 },
      ],
      next: { key: '0+2', zh: `${c(0).zh}+${c(2).zh}`, en: `${c(0).en} + ${c(2).en}`, remaining: 13 },
    },
    progress: { captured: 57, planned: 100, checking: 2, toConfirm: 5, confirmed: 49, reviewDone: true, report1: false, trainingStarted: true, trainingDone: true, deployed: false, report2: false, handin: false },
    rejected: {
      total: 3,
      byReason: { blurry: 2, 'too-dark': 1 },
      recent: [
        { photoId: 12, reason: 'blurry', detail: 'sharpness|41|80', duplicateOf: null },
        { photoId: 15, reason: 'blurry', detail: 'sharpness|37|80', duplicateOf: null },
        { photoId: 23, reason: 'too-dark', detail: 'lumaLow|22|40', duplicateOf: null },
      ],
    },
    perClass: [
      { key: c(0).key, zh: c(0).zh, en: c(0).en, boxes: 37, photos: 37 },
      { key: c(1).key, zh: c(1).zh, en: c(1).en, boxes: 30, photos: 30 },
      { key: c(2).key, zh: c(2).zh, en: c(2).en, boxes: 17, photos: 17 },
    ],
    review: { id: 4, finished: true, stale: false, sampled: 10, accuracy: 0.9, qualified: 27, boxes: 29, missed: 1 },
    training: {
      active: { id: 'A07-r2', status: 'running', epoch: 14, epochs: 80, map50: 0.611, etaS: 430 },
      latest: { id: 'A07-r1', map50: 0.873, map5095: 0.552, precision: 0.912, recall: 0.846, epochs: 40 },
      best: { id: 'A07-r1', map50: 0.873, map5095: 0.552, precision: 0.912, recall: 0.846, epochs: 40 },
      completedRuns: 1,
    },
    deliverables: { report1: false, report2: false, handin: false, datasetExported: true },
    clock: { startedAt: T0 - 65 * 60_000, durationMin: 120 },
    now: T0,
    ...over,
  };
}
