import { t } from './copy/index.js';
import { raw, type Lang } from './i18n.js';

/**
 * The exam clock and its pace (issue 15): the station's countdown from `/timer`, the
 * checkpoints (30/60/90 of 120 minutes, and 10 minutes before the end) and which steps of the
 * exam a contestant should have reached by each, so the guide can remind one who falls behind.
 * Pure: the clock's start comes from the store, `now` from the caller.
 */

/** The exam's steps in order, as the pace and the status show them. */
export const MILESTONES = ['capture', 'labels', 'review', 'report1', 'training-started', 'training-done', 'deployed', 'report2', 'handin'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** What the station has done, read from the store. Counts are photos. */
export interface StationProgress {
  /** Accepted photos and the plan's total. */
  captured: number;
  planned: number;
  /** Photos received, not yet checked. */
  checking: number;
  /** Accepted photos whose label is not confirmed. */
  toConfirm: number;
  /** Photos with a confirmed label. */
  confirmed: number;
  reviewDone: boolean;
  report1: boolean;
  trainingStarted: boolean;
  trainingDone: boolean;
  deployed: boolean;
  report2: boolean;
  handin: boolean;
}

/** The steps the station has reached. */
export function reachedMilestones(p: StationProgress): Set<Milestone> {
  const done = new Set<Milestone>();
  if (p.planned > 0 && p.captured >= p.planned) done.add('capture');
  if (done.has('capture') && p.toConfirm === 0 && p.checking === 0 && p.confirmed > 0) done.add('labels');
  if (p.reviewDone) done.add('review');
  if (p.report1) done.add('report1');
  if (p.trainingStarted || p.trainingDone) done.add('training-started');
  if (p.trainingDone) done.add('training-done');
  if (p.deployed) done.add('deployed');
  if (p.report2) done.add('report2');
  if (p.handin) done.add('handin');
  return done;
}

/**
 * The pace for a 120-minute exam: by each checkpoint (a share of the duration) these steps
 * should be done. Capture and labeling go together (each photo is confirmed as its preview
 * arrives), so a quarter of the time for the 100 photos; the review, the first report and
 * the start of training by half time; a trained and deployed model by three quarters; the
 * second report and the hand-in folder 10 minutes before the end.
 */
export const PACE: ReadonlyArray<{ share: number; expect: readonly Milestone[] }> = [
  { share: 30 / 120, expect: ['capture'] },
  { share: 60 / 120, expect: ['capture', 'labels', 'review', 'report1', 'training-started'] },
  { share: 90 / 120, expect: ['capture', 'labels', 'review', 'report1', 'training-started', 'training-done', 'deployed'] },
  { share: 110 / 120, expect: [...MILESTONES] },
];

/** The checkpoints of a `durationMin` exam, in minutes from the start. */
export function checkpoints(durationMin: number): number[] {
  return PACE.map((p) => Math.round(p.share * durationMin));
}

/** The steps expected by checkpoint `minute` that are not reached yet (in exam order). */
export function behindAt(durationMin: number, minute: number, p: StationProgress): Milestone[] {
  const i = checkpoints(durationMin).indexOf(minute);
  const step = PACE[i];
  if (!step) return [];
  const done = reachedMilestones(p);
  return step.expect.filter((m) => !done.has(m));
}

export interface ClockReading {
  /** Whole minutes since the start, and left (0 once ended; rounded up while running). */
  elapsedMin: number;
  leftMin: number;
  isEnded: boolean;
  /** ms since the epoch. */
  endsAt: number;
  /** The last checkpoint passed, if any, and the next one. */
  lastCheckpoint?: number;
  nextCheckpoint?: number;
}

/** Reads a clock started at `startedAt` (ms) for `durationMin` at `now` (ms). */
export function readClock(startedAt: number, durationMin: number, now: number): ClockReading {
  const endsAt = startedAt + durationMin * 60_000;
  const elapsedMs = Math.max(0, now - startedAt);
  const isEnded = now >= endsAt;
  const elapsedMin = Math.floor(elapsedMs / 60_000);
  const leftMin = isEnded ? 0 : Math.ceil((endsAt - now) / 60_000);
  const marks = checkpoints(durationMin);
  const passed = marks.filter((m) => m * 60_000 <= elapsedMs);
  const upcoming = marks.find((m) => m * 60_000 > elapsedMs);
  return {
    elapsedMin,
    leftMin,
    isEnded,
    endsAt,
    ...(passed.length ? { lastCheckpoint: passed[passed.length - 1] } : {}),
    ...(upcoming !== undefined ? { nextCheckpoint: upcoming } : {}),
  };
}

/**
 * Whether checkpoint `minute` should still be told at `now`: it is due, and the next one is
 * not (after a long outage only the latest due checkpoint is told, never a burst of stale ones).
 */
export function isCheckpointCurrent(startedAt: number, durationMin: number, minute: number, now: number): boolean {
  const marks = checkpoints(durationMin);
  const i = marks.indexOf(minute);
  if (i < 0 || now < startedAt + minute * 60_000) return false;
  const next = marks[i + 1];
  const limit = next !== undefined ? startedAt + next * 60_000 : startedAt + durationMin * 60_000;
  return now < limit;
}

/** The steps' names in `lang`, joined. */
export function milestoneNames(lang: Lang, steps: readonly Milestone[]): string {
  return steps.map((m) => t(lang, `guide.ms.${m}`)).join(lang === 'zh' ? '、' : ', ');
}

/**
 * The clock in words: minutes left and gone, the pace at the last checkpoint (what is behind)
 * and the next checkpoint; or how to start it. `/status`, `/timer` and the guide say the same.
 */
export function clockText(lang: Lang, clock: { startedAt: number; durationMin: number } | undefined, progress: StationProgress, now: number, durationMin: number): string {
  if (!clock) return t(lang, 'guide.clock.off', { duration: durationMin });
  const r = readClock(clock.startedAt, clock.durationMin, now);
  if (r.isEnded) return t(lang, 'guide.clock.ended', { duration: clock.durationMin });
  const lines = [t(lang, 'guide.clock.left', { left: r.leftMin, duration: clock.durationMin, elapsed: r.elapsedMin })];
  if (r.lastCheckpoint !== undefined) {
    const behind = behindAt(clock.durationMin, r.lastCheckpoint, progress);
    lines.push(behind.length ? t(lang, 'guide.clock.behind', { minute: r.lastCheckpoint, steps: raw(milestoneNames(lang, behind)) }) : t(lang, 'guide.clock.onPace', { minute: r.lastCheckpoint }));
  }
  if (r.nextCheckpoint !== undefined) lines.push(t(lang, 'guide.clock.next', { minute: r.nextCheckpoint }));
  return lines.join('\n');
}

/** `ms` as HH:MM in the server's time zone (the exam hall's clock, on the machine that runs the bot). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
