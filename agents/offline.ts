import { clockText, matchIntent, parseRejectReason, raw, reasonName, rejectText, t, type CopyKey, type Intent } from '../core/index.js';
import type { TurnContext } from './facts.js';
import { nextAction } from './next-action.js';
import { callTool, type GuideButton, type ToolResult } from './tools.js';

/**
 * The offline guide (the default when no LLM is configured, and the fallback when the model
 * fails): the question's intent picks a tool, the tool's result is worded from the copy
 * catalogue in the user's language. Deterministic: the same facts give the same answer.
 */
export interface GuideAnswer {
  /** HTML (the chat's parse mode). */
  text: string;
  button?: GuideButton;
  /** The tools that were called, in order (tests and the bench read it). */
  tools: string[];
  source: 'offline' | 'llm';
}

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '—');
const fmt = (v: unknown): string => (typeof v === 'number' ? v.toFixed(3) : '—');

/** Words one tool result for the user. Exported for the LLM path's fallback and the tests. */
export function renderTool(tool: Intent['tool'], r: ToolResult, ctx: TurnContext): string {
  const { lang, facts: f } = ctx;
  const d = r.data as Record<string, unknown>;
  const tr = (key: CopyKey, params: Record<string, string | number | ReturnType<typeof raw>> = {}) => t(lang, key, params);
  switch (tool) {
    case 'get_progress': {
      if (!f.stationNo) return tr('guide.next.register');
      const lines = [tr('guide.progress', { station: f.stationNo, captured: f.plan.captured, planned: f.plan.total, confirmed: f.progress.confirmed, toConfirm: f.progress.toConfirm, checking: f.progress.checking })];
      if (f.plan.next) lines.push(tr('guide.progress.next', { label: f.plan.next[lang], remaining: f.plan.next.remaining }));
      lines.push(clockLine(ctx));
      return lines.join('\n');
    }
    case 'next_step': {
      const a = nextAction(f, lang);
      return tr(a.key, a.params);
    }
    case 'why_rejected': {
      if (typeof d.photoId === 'number') {
        if (!d.rejected) return tr('guide.rejected.photoOk', { id: d.photoId });
        const why = rejectText(lang, parseRejectReason(d.reason as string), (d.detail as string | null) ?? null, (d.duplicateOf as number | null) ?? null);
        return tr('guide.rejected.photo', { id: d.photoId, reason: raw(why.reason), tip: raw(why.tip) });
      }
      if (!f.rejected.total) return tr('guide.rejected.none');
      const byReason = Object.entries(f.rejected.byReason).sort((a, b) => b[1] - a[1]);
      const reasons = byReason.map(([r, n]) => `${reasonName(lang, parseRejectReason(r))} ${n}`).join(lang === 'zh' ? '，' : ', ');
      const top = byReason[0];
      const tip = top ? rejectText(lang, parseRejectReason(top[0]), null, null).tip : '';
      return tr('guide.rejected.summary', { n: f.rejected.total, reasons: raw(reasons), tip: raw(tip) });
    }
    case 'exam_rules':
      return tr(d.ruleKey as CopyKey, { duration: f.durationMin, rate: Math.round(f.sampleRate * 100) });
    case 'training_advice': {
      if (!f.progress.confirmed) return tr('guide.advice.none');
      const classes = f.perClass.map((c) => `${c[lang]} ${c.boxes}`).join(lang === 'zh' ? '，' : ', ');
      const lines = [tr('guide.advice', { n: f.progress.confirmed, classes, preset: String(d.preset), epochs: num(d.epochs), batch: num(d.batch), size: num(d.imgSize), budget: num(d.timeBudgetMin) })];
      if (typeof d.imbalance === 'number' && d.imbalance >= 1.5) {
        const small = f.perClass.find((c) => c.en === d.smallestClass);
        lines.push(tr('guide.advice.imbalance', { ratio: d.imbalance, cls: small ? small[lang] : '—' }));
      }
      if (typeof d.minutesLeft === 'number') lines.push(tr('guide.advice.time', { left: d.minutesLeft }));
      return lines.join('\n');
    }
    case 'training_status': {
      const lines: string[] = [];
      const a = f.training.active;
      if (a) lines.push(tr('guide.training.active', { run: a.id, epoch: num(a.epoch), epochs: num(a.epochs), map50: fmt(a.map50), eta: a.etaS !== undefined ? Math.ceil(a.etaS / 60) : '—' }));
      const best = f.training.best;
      if (best) lines.push(tr('guide.training.best', { run: best.id, map50: fmt(best.map50), map5095: fmt(best.map5095), n: f.training.completedRuns }));
      if (!a && !best) lines.push(tr('guide.training.none'));
      if (best) lines.push(f.training.deployed ? tr('guide.training.deployed', { run: f.training.deployed.id }) : tr('guide.training.notDeployed'));
      return lines.join('\n');
    }
    case 'explain_metric': {
      const lines = [tr(d.meaningKey as CopyKey)];
      if (typeof d.value === 'number') lines.push(d.metric === 'accuracy' ? tr('guide.metric.reviewValue', { value: fmt(d.value) }) : tr('guide.metric.value', { run: String(d.run), value: fmt(d.value) }));
      return lines.join('\n');
    }
    case 'deliverables_status': {
      const rv = f.review;
      const review = !rv
        ? tr('guide.review.none')
        : rv.stale
          ? tr('guide.review.stale')
          : rv.finished
            ? tr('guide.review.done', { accuracy: fmt(rv.accuracy), qualified: num(rv.qualified), boxes: num(rv.boxes), missed: num(rv.missed) })
            : tr('guide.review.open', { n: rv.sampled });
      const mark = (b: boolean) => (b ? '✅' : '⬜');
      const items: Array<[boolean, CopyKey]> = [
        [f.deliverables.report1, 'guide.deliv.report1'],
        [f.deliverables.datasetExported, 'guide.deliv.dataset'],
        [f.deliverables.report2, 'guide.deliv.report2'],
        [f.deliverables.handin, 'guide.deliv.handin'],
      ];
      return [review, ...items.map(([b, k]) => `${mark(b)} ${tr(k)}`)].join('\n');
    }
    case 'exam_clock':
      return clockLine(ctx);
    case 'command_help':
      return tr(d.howtoKey as CopyKey);
    case 'start_training':
      return tr('guide.act.train', { preset: String(d.preset), epochs: num(d.epochs), budget: num(d.timeBudgetMin), n: num(d.confirmedPhotos) });
    case 'deploy_model':
      return d.needsConfirmation ? tr('guide.act.deploy', { run: String(d.run), map50: fmt(d.map50) }) : tr('guide.act.noRun');
    case 'draw_review_sample':
      return f.progress.confirmed ? tr('guide.act.sample', { rate: num(d.sampleRatePct), n: num(d.confirmedPhotos), size: num(d.sampleSize) }) : tr('guide.act.noPhotos');
    case 'unknown':
      return tr('guide.unknown');
  }
}

/** Time left and pace, or how to start the clock. */
export function clockLine(ctx: TurnContext): string {
  return clockText(ctx.lang, ctx.facts.clock, ctx.facts.progress, ctx.facts.now, ctx.facts.durationMin);
}

/** Answers `question` offline: the intent's tool, worded; the next action as the button where the tool offers none. */
export function answerOffline(question: string, ctx: TurnContext): GuideAnswer {
  const intent = matchIntent(question);
  if (intent.tool === 'unknown') return { text: t(ctx.lang, 'guide.unknown'), tools: [], source: 'offline' };
  const result = callTool(intent.tool, intent.args, ctx);
  const text = renderTool(intent.tool, result, ctx);
  const button = result.button ?? callTool('next_step', {}, ctx).button;
  return { text, ...(button ? { button } : {}), tools: [intent.tool], source: 'offline' };
}
