import { readClock, type CopyKey } from '../core/index.js';
import type { GuideFacts } from './facts.js';

/** The one next action of the exam for the station, as the guide says it and the button it offers. */
export interface NextAction {
  step: 'register' | 'label' | 'capture' | 'checking' | 'review' | 'report1' | 'train' | 'training' | 'deploy' | 'report2' | 'handin' | 'done';
  /** The command the button runs (`/label`), when there is one. */
  command?: string;
  /** The catalogue text and its parameters (numbers from the facts). */
  key: CopyKey;
  params: Record<string, string | number>;
}

/**
 * The exam's order: register, capture and confirm labels as photos arrive, the acceptance
 * review, the stage-one report, train, deploy, the stage-two report, the hand-in folder.
 */
export function nextAction(f: GuideFacts, lang: 'zh' | 'en'): NextAction {
  const p = f.progress;
  if (!f.stationNo) return { step: 'register', command: 'start', key: 'guide.next.register', params: {} };
  if (p.toConfirm > 0) return { step: 'label', command: 'label', key: 'guide.next.label', params: { n: p.toConfirm } };
  if (f.plan.next) return { step: 'capture', command: 'capture', key: 'guide.next.capture', params: { label: f.plan.next[lang], remaining: f.plan.next.remaining } };
  if (p.checking > 0) return { step: 'checking', key: 'guide.next.checking', params: { n: p.checking } };
  if (!p.reviewDone) return { step: 'review', command: 'review', key: 'guide.next.review', params: { n: p.confirmed } };
  if (!p.report1) return { step: 'report1', command: 'report1', key: 'guide.next.report1', params: {} };
  if (f.training.active) return { step: 'training', command: 'models', key: 'guide.next.training', params: { run: f.training.active.id } };
  if (!p.trainingDone) return { step: 'train', command: 'train', key: 'guide.next.train', params: { n: p.confirmed } };
  if (!p.deployed) return { step: 'deploy', command: 'deploy', key: 'guide.next.deploy', params: { run: f.training.best?.id ?? '' } };
  if (!p.report2) return { step: 'report2', command: 'report2', key: 'guide.next.report2', params: {} };
  if (!p.handin) return { step: 'handin', command: 'handin', key: 'guide.next.handin', params: {} };
  return { step: 'done', key: 'guide.next.done', params: {} };
}

/** Minutes left on the station's clock, when it runs. */
export function minutesLeft(f: GuideFacts): number | undefined {
  if (!f.clock) return undefined;
  return readClock(f.clock.startedAt, f.clock.durationMin, f.now).leftMin;
}
