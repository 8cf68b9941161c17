import type { ExamClass, Lang, StationProgress } from '../core/index.js';

/**
 * Everything the guide's tools may say about one station, read from the store once per turn
 * by the worker (agents/ never touches the store). Every number an answer quotes comes from
 * here through a tool. Holds no personal data: no name, no ID number.
 */
export interface GuideFacts {
  /** Undefined before the user registered a station. */
  stationNo?: string;
  classes: readonly ExamClass[];
  /** Minutes of the exam (the exam config). */
  durationMin: number;
  sampleRate: number;
  plan: {
    total: number;
    captured: number;
    combos: ReadonlyArray<{ key: string; zh: string; en: string; captured: number; quota: number }>;
    /** The first combo that is not full, with how many it lacks. */
    next?: { key: string; zh: string; en: string; remaining: number };
  };
  progress: StationProgress;
  /** Rejected photos by reason (cleaning), and the newest rejected photos. */
  rejected: { total: number; byReason: Readonly<Record<string, number>>; recent: ReadonlyArray<{ photoId: number; reason: string; detail: string | null; duplicateOf: number | null }> };
  /** Confirmed boxes and photos per class (the training set's balance). */
  perClass: ReadonlyArray<{ key: string; zh: string; en: string; boxes: number; photos: number }>;
  review?: { id: number; finished: boolean; stale: boolean; sampled: number; accuracy?: number; qualified?: number; boxes?: number; missed?: number };
  training: {
    active?: { id: string; status: string; epoch?: number; epochs?: number; map50?: number; etaS?: number };
    latest?: RunFacts;
    best?: RunFacts;
    deployed?: RunFacts;
    completedRuns: number;
  };
  deliverables: { report1: boolean; report2: boolean; handin: boolean; datasetExported: boolean };
  /** The exam clock once `/timer` started it. */
  clock?: { startedAt: number; durationMin: number };
  /** ms since the epoch when the facts were read. */
  now: number;
}

export interface RunFacts {
  id: string;
  map50?: number;
  map5095?: number;
  precision?: number;
  recall?: number;
  epochs?: number;
}

/** What a turn needs besides the facts: the language to answer in. */
export interface TurnContext {
  facts: GuideFacts;
  lang: Lang;
}
