import { clockText, MILESTONES, raw, reachedMilestones } from '../../core/index.js';
import { stationProgress } from '../../store/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** The exam clock's lines for a station: time left and pace, or how to start it. */
export function clockLineFor(ctx: BotContext, deps: BotDeps, stationNo: string): string {
  const clock = deps.store.guide.clock(stationNo);
  return clockText(ctx.lang, clock, stationProgress(deps.store, deps.exam, stationNo), deps.now(), deps.exam.durationMin);
}

/** Minutes left on the station's clock, when it runs and has not ended. */
export function minutesLeftLine(ctx: BotContext, deps: BotDeps, stationNo: string): string | undefined {
  const clock = deps.store.guide.clock(stationNo);
  if (!clock) return undefined;
  const left = Math.ceil((clock.startedAt + clock.durationMin * 60_000 - deps.now()) / 60_000);
  return left > 0 ? ctx.tr('plan.clock', { left }) : ctx.tr('guide.clock.ended', { duration: clock.durationMin });
}

/** `/status`: the station in one message — photos, every step of the exam (done or not), the clock. */
export function statusText(ctx: BotContext, deps: BotDeps, stationNo: string): string {
  const p = stationProgress(deps.store, deps.exam, stationNo);
  const done = reachedMilestones(p);
  const rejected = deps.store.photos.summary(stationNo).byStatus.rejected;
  const steps = MILESTONES.map((m) => `${done.has(m) ? '✅' : '⬜'} ${ctx.tr(`guide.ms.${m}`)}`).join('\n');
  return [
    ctx.tr('status.title', { station: stationNo }),
    ctx.tr('status.photos', { captured: p.captured, planned: p.planned, confirmed: p.confirmed, toConfirm: p.toConfirm, rejected }),
    ctx.tr('status.steps', { steps: raw(`\n${steps}`) }),
    '',
    clockLineFor(ctx, deps, stationNo),
  ].join('\n');
}
