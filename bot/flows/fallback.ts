import { capturePlan, comboLabel, isWhatNext, nextStep, planProgress } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { requireStation } from '../guards.js';
import { stationProgress } from '../../store/index.js';
import { askGuide } from './guide.js';

/** "What next?" answered at once from the station's state, in the same order as the guide's next action. */
function whatNextText(ctx: BotContext, deps: BotDeps): string {
  const stationNo = ctx.account?.stationNo ?? undefined;
  if (!stationNo) return ctx.tr('next.register');
  const progress = planProgress(capturePlan(deps.exam), deps.store.photos.countByCombo(stationNo));
  const s = deps.store.photos.summary(stationNo).byStatus;
  const step = nextStep({
    stationNo,
    ...(progress.next ? { planNext: { label: comboLabel(progress.next.combo, deps.exam.classes, ctx.lang), remaining: progress.next.remaining } } : {}),
    checking: s.received,
    toConfirm: s.clean + s.prelabeled,
    confirmed: s.confirmed + s.reviewed,
    hasModel: deps.store.runs.latestCompleted(stationNo, 'train') !== undefined,
  });
  if (step.key !== 'next.train' && step.key !== 'next.models') return ctx.tr(step.key, step.params);
  // Capture and labels are done: the rest in the exam's order, as the guide says it.
  const p = stationProgress(deps.store, deps.exam, stationNo);
  if (!p.reviewDone) return ctx.tr('guide.next.review', { n: p.confirmed });
  if (!p.report1) return ctx.tr('guide.next.report1');
  const active = deps.store.runs.active(stationNo);
  if (active) return ctx.tr('guide.next.training', { run: active.id });
  if (!p.trainingDone) return ctx.tr('guide.next.train', { n: p.confirmed });
  const best = deps.store.runs
    .list(stationNo)
    .filter((r) => r.kind === 'train' && typeof r.metrics?.map50 === 'number')
    .sort((a, b) => Number(b.metrics?.map50) - Number(a.metrics?.map50))[0];
  if (!p.deployed) return ctx.tr('guide.next.deploy', { run: best?.id ?? '' });
  if (!p.report2) return ctx.tr('guide.next.report2');
  if (!p.handin) return ctx.tr('guide.next.handin');
  return ctx.tr('guide.next.done');
}

/**
 * Last in line: every update that no flow took gets a helpful answer, never silence. "What next?"
 * is answered at once from the plan; other text goes to the guide (the fallback line only when
 * the queue does not take it).
 */
export const fallbackFlow: Flow = {
  name: 'fallback',
  register(bot, deps) {
    bot.on('message', async (ctx) => {
      const msg = ctx.message;
      if ('text' in msg) {
        const text = msg.text.trim();
        if (text.startsWith('/')) {
          const command = text.split(/[\s@]/)[0] ?? text;
          await ctx.reply(ctx.tr('fallback.command', { command }));
          return;
        }
        if (isWhatNext(text)) {
          await ctx.reply(whatNextText(ctx, deps), { parse_mode: 'HTML' });
          return;
        }
        // Any other text is a question for the guide (answered by a worker: the LLM or the offline guide).
        if (await askGuide(ctx, deps, text, msg.message_id)) return;
        await ctx.reply(ctx.tr('fallback.text'));
        return;
      }
      if (!(await requireStation(ctx))) return;
      await ctx.reply(ctx.tr('fallback.media'));
    });
  },
};
