import { Markup } from 'telegraf';
import { comboLabel, encodeCallback, isCopyKey, progressBar, t, type DetectionEvaluation, type ExamConfig, type Lang } from '../../core/index.js';
import type { TrainerEvent } from './trainer-process.js';

const fmt = (v: unknown, digits = 3): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');

export function duration(seconds: unknown, lang: Lang): string {
  const s = typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const m = Math.floor(s / 60);
  const r = s % 60;
  return m ? t(lang, 'unit.minSec', { m, s: r }) : t(lang, 'unit.sec', { s: r });
}

/** The live progress message: bar, epoch, loss, mAP50, ETA, and a Stop button. */
export function progressMessage(runId: string, e: TrainerEvent, lang: Lang, lastMap: number | undefined, device: string) {
  const epoch = Number(e.epoch ?? 0);
  const epochs = Math.max(1, Number(e.epochs ?? 1));
  const elapsed = Number(e.elapsedS ?? 0);
  const eta = Number(e.etaS ?? 0);
  const byTime = elapsed + eta > 0 ? elapsed / (elapsed + eta) : 0;
  const ratio = Math.max(epoch / epochs, byTime);
  const text = t(lang, 'train.progress', {
    run: runId,
    device,
    bar: progressBar(ratio, 1, 16),
    pct: Math.round(ratio * 100),
    epoch,
    epochs,
    loss: fmt(e.loss),
    map: fmt(typeof e.valMap50 === 'number' ? e.valMap50 : lastMap),
    eta: duration(eta, lang),
  });
  return { text, markup: Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.stop'), encodeCallback('ts', runId))]) };
}

/** The final message with the headline numbers of the evaluation of the exported model. */
export function doneMessage(runId: string, reason: string, ev: DetectionEvaluation, exam: ExamConfig, lang: Lang, elapsedS: number, path: string): string {
  const perClass = ev.perClass
    .map((c) => `• ${comboLabel(String(c.classId), exam.classes, lang)}: AP50 ${fmt(c.ap50)}`)
    .join('\n');
  const key = `train.reason.${reason}`;
  return t(lang, 'train.done', {
    run: runId,
    reason: isCopyKey(key) ? t(lang, key) : reason,
    map50: fmt(ev.map50),
    map5095: fmt(ev.map50_95),
    precision: fmt(ev.precision),
    recall: fmt(ev.recall),
    perClass,
    elapsed: duration(elapsedS, lang),
    path,
  });
}
