import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { behindAt, checkpoints, clockText, clockTime, isCheckpointCurrent, readClock, reachedMilestones, type StationProgress } from './exam-clock.js';

const START = Date.UTC(2026, 10, 30, 9, 0, 0);
const min = (m: number) => START + m * 60_000;
const nothing: StationProgress = { captured: 0, planned: 100, checking: 0, toConfirm: 0, confirmed: 0, reviewDone: false, report1: false, trainingStarted: false, trainingDone: false, deployed: false, report2: false, handin: false };

/** The exam clock against a fake system clock: the countdown, the checkpoints and the pace. */
describe('the exam clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => vi.useRealTimers());

  it('counts down 120 minutes with checkpoints at 30, 60, 90 and 110', () => {
    expect(checkpoints(120)).toEqual([30, 60, 90, 110]);
    expect(checkpoints(60)).toEqual([15, 30, 45, 55]);
    expect(readClock(START, 120, Date.now())).toEqual({ elapsedMin: 0, leftMin: 120, isEnded: false, endsAt: min(120), nextCheckpoint: 30 });
    vi.advanceTimersByTime(29 * 60_000 + 59_000);
    expect(readClock(START, 120, Date.now())).toMatchObject({ elapsedMin: 29, leftMin: 91, nextCheckpoint: 30 });
    vi.advanceTimersByTime(1000);
    expect(readClock(START, 120, Date.now())).toMatchObject({ elapsedMin: 30, leftMin: 90, lastCheckpoint: 30, nextCheckpoint: 60 });
    vi.setSystemTime(min(120));
    expect(readClock(START, 120, Date.now())).toEqual({ elapsedMin: 120, leftMin: 0, isEnded: true, endsAt: min(120), lastCheckpoint: 110 });
  });

  it('tells only the current checkpoint: not early, not after the next one is due', () => {
    vi.setSystemTime(min(29));
    expect(isCheckpointCurrent(START, 120, 30, Date.now())).toBe(false);
    vi.setSystemTime(min(30));
    expect(isCheckpointCurrent(START, 120, 30, Date.now())).toBe(true);
    vi.setSystemTime(min(61));
    expect(isCheckpointCurrent(START, 120, 30, Date.now())).toBe(false);
    expect(isCheckpointCurrent(START, 120, 60, Date.now())).toBe(true);
    vi.setSystemTime(min(119));
    expect(isCheckpointCurrent(START, 120, 110, Date.now())).toBe(true);
    vi.setSystemTime(min(121));
    expect(isCheckpointCurrent(START, 120, 110, Date.now())).toBe(false);
    expect(isCheckpointCurrent(START, 120, 45, Date.now())).toBe(false);
  });

  it('knows what should be done by each checkpoint', () => {
    const captured = { ...nothing, captured: 100, confirmed: 100 };
    expect(reachedMilestones(captured)).toEqual(new Set(['capture', 'labels']));
    expect(behindAt(120, 30, nothing)).toEqual(['capture']);
    expect(behindAt(120, 30, captured)).toEqual([]);
    expect(behindAt(120, 60, { ...captured, reviewDone: true, trainingStarted: true })).toEqual(['report1']);
    expect(behindAt(120, 90, { ...captured, reviewDone: true, report1: true, trainingDone: true })).toEqual(['deployed']);
    expect(behindAt(120, 110, { ...captured, reviewDone: true, report1: true, trainingDone: true, deployed: true, report2: true, handin: true })).toEqual([]);
    expect(behindAt(120, 45, nothing)).toEqual([]);
    // Photos still waiting for confirmation are not "labels done".
    expect(reachedMilestones({ ...captured, toConfirm: 1 }).has('labels')).toBe(false);
  });

  it('says the time left and the pace in both languages', () => {
    vi.setSystemTime(min(65));
    const en = clockText('en', { startedAt: START, durationMin: 120 }, nothing, Date.now(), 120);
    expect(en).toBe('⏱ 55 min left of 120 (65 min gone).\nBehind the 60-minute checkpoint: capture, labels confirmed, acceptance review, report 1, training started.\nNext checkpoint: minute 90.');
    expect(clockText('zh', { startedAt: START, durationMin: 120 }, nothing, Date.now(), 120)).toContain('还剩 55 分钟');
    expect(clockText('en', undefined, nothing, Date.now(), 120)).toBe('⏱ The exam clock is not running; /timer starts the 120-minute countdown.');
    vi.setSystemTime(min(125));
    expect(clockText('en', { startedAt: START, durationMin: 120 }, nothing, Date.now(), 120)).toBe('⏱ The 120 minutes are over.');
  });

  it('says a time of day as HH:MM on the server clock', () => {
    expect(clockTime(new Date(2026, 0, 1, 9, 5).getTime())).toBe('09:05');
    expect(clockTime(new Date(2026, 0, 1, 23, 59, 59).getTime())).toBe('23:59');
  });
});
