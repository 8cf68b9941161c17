import { behindAt, encodeCallback, milestoneNames, raw, readClock, t, type Lang } from '../core/index.js';
import type { GuideFacts } from './facts.js';
import { nextAction } from './next-action.js';
import type { GuideButton } from './tools.js';

/**
 * Proactive next steps (issue 15): the milestones a station has reached — a combo's quota met,
 * every photo confirmed, the review done, a training run finished, a run deployed — each
 * announced once (the store records the keys) with what comes next; and the pace reminder
 * of a clock checkpoint when the station is behind.
 */

export interface Announcement {
  /** The keys recorded so each is said once (`combo:0+2`, `trained:A07-r1`, `pace:30`). */
  keys: string[];
  text: string;
  button?: GuideButton;
}

/** Milestone keys reached now, in exam order. */
export function reachedKeys(f: GuideFacts): string[] {
  const keys = f.plan.combos.filter((c) => c.quota > 0 && c.captured >= c.quota).map((c) => `combo:${c.key}`);
  const p = f.progress;
  if (p.planned > 0 && p.captured >= p.planned && p.toConfirm === 0 && p.checking === 0) keys.push('confirmed');
  if (f.review?.finished && !f.review.stale) keys.push(`review:${f.review.id}`);
  if (f.training.latest) keys.push(`trained:${f.training.latest.id}`);
  if (f.training.deployed) keys.push(`deployed:${f.training.deployed.id}`);
  return keys;
}

/** The milestones reached and not yet said. */
export function newMilestones(f: GuideFacts, said: readonly string[]): string[] {
  const done = new Set(said);
  return reachedKeys(f).filter((k) => !done.has(k));
}

const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));

/** What milestone `key` says was reached. */
function milestoneHead(key: string, f: GuideFacts, lang: Lang): string {
  const [kind, arg = ''] = key.split(/:(.*)/s);
  if (kind === 'combo') {
    const c = f.plan.combos.find((x) => x.key === arg);
    return t(lang, 'guide.done.combo', { label: c ? c[lang] : arg, quota: c?.quota ?? 0, captured: f.plan.captured, total: f.plan.total });
  }
  if (kind === 'confirmed') return t(lang, 'guide.done.confirmed', { n: f.progress.confirmed });
  if (kind === 'review') return t(lang, 'guide.done.review', { accuracy: fmt(f.review?.accuracy) });
  if (kind === 'trained') return t(lang, 'guide.done.trained', { run: arg, map50: fmt(f.training.latest?.id === arg ? f.training.latest.map50 : undefined) });
  return t(lang, 'guide.done.deployed', { run: arg });
}

function nextButton(f: GuideFacts, lang: Lang): { line: string; button?: GuideButton } {
  const next = nextAction(f, lang);
  const line = t(lang, next.key, next.params);
  return next.command ? { line, button: { label: 'guide.btn.command', params: { command: next.command }, callback: encodeCallback('gx', next.command) } } : { line };
}

/** One message for the milestones `keys` (reached together): each named, then the one next action with its button. */
export function milestoneText(keys: readonly string[], f: GuideFacts, lang: Lang): Announcement {
  const next = nextButton(f, lang);
  return { keys: [...keys], text: [...keys.map((k) => milestoneHead(k, f, lang)), next.line].join('\n'), ...(next.button ? { button: next.button } : {}) };
}

/**
 * The reminder for checkpoint `minute`, or undefined when the station is on pace. Names the
 * steps behind and the one next action.
 */
export function paceReminder(f: GuideFacts, minute: number, lang: Lang): Announcement | undefined {
  if (!f.clock) return undefined;
  const behind = behindAt(f.clock.durationMin, minute, f.progress);
  if (!behind.length) return undefined;
  const r = readClock(f.clock.startedAt, f.clock.durationMin, f.now);
  const next = nextButton(f, lang);
  const text = `${t(lang, 'guide.pace.behind', { minute, left: r.leftMin, steps: raw(milestoneNames(lang, behind)) })}\n${next.line}`;
  return { keys: [`pace:${minute}`], text, ...(next.button ? { button: next.button } : {}) };
}
