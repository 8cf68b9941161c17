import { Markup } from 'telegraf';
import { comboLabel, encodeCallback, progressBar, t, type DetectionEvaluation, type ExamConfig, type Lang } from '../../core/index.js';
import type { TrainerDoneReason, TrainerEvent } from '../../core/index.js';

const fmt = (v: unknown, digits = 3): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');

export function duration(seconds: unknown, lang: Lang): string {
  const s = typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const m = Math.floor(s / 60);
  const r = s % 60;
  return m ? t(lang, 'unit.minSec', { m, s: r }) : t(lang, 'unit.sec', { s: r });
}

/**
 * What the live message shows, folded from the trainer's events. `step` events carry
 * no plan (`epochs`) and no ETA, so both come from the last `epoch` event (or the run's
 * parameters before the first one): every event kind is drawn against the same total.
 */
export interface TrainProgress {
  /** The current plan of epochs (changes under a time budget). */
  epochs: number;
  /** Epochs finished, counting the current one's share of steps (0..epochs). */
  done: number;
  epoch: number;
  loss: number | null;
  map: number | null;
  elapsedS: number;
  /** Seconds left at `etaAtS` of training (from the last `epoch` event); null before one. */
  etaS: number | null;
  etaAtS: number;
}

/** The state before any event: `epochs` from the run's parameters. */
export function initialProgress(epochs: number): TrainProgress {
  return { epochs: Math.max(1, epochs), done: 0, epoch: 0, loss: null, map: null, elapsedS: 0, etaS: null, etaAtS: 0 };
}

/** Folds one event into the progress (events other than `step`/`epoch`/`best` change nothing). */
export function foldProgress(p: TrainProgress, e: TrainerEvent): TrainProgress {
  switch (e.type) {
    case 'step': {
      const within = e.steps > 0 ? Math.min(1, e.step / e.steps) : 0;
      return { ...p, epoch: e.epoch, done: Math.min(p.epochs, e.epoch - 1 + within), loss: e.loss ?? p.loss, elapsedS: e.elapsedS };
    }
    case 'epoch': {
      const epochs = Math.max(1, e.epochs);
      return { ...p, epochs, epoch: e.epoch, done: Math.min(epochs, e.epoch), loss: e.loss ?? p.loss, map: e.valMap50 ?? p.map, elapsedS: e.elapsedS, etaS: e.etaS, etaAtS: e.elapsedS };
    }
    case 'best':
      return { ...p, map: e.valMap50 ?? p.map };
    default:
      return p;
  }
}

function remainingS(p: TrainProgress): number | null {
  return p.etaS === null ? null : Math.max(0, p.etaS - (p.elapsedS - p.etaAtS));
}

function progressValues(runId: string, p: TrainProgress, lang: Lang, device: string) {
  const eta = remainingS(p);
  const byTime = eta !== null && p.elapsedS + eta > 0 ? p.elapsedS / (p.elapsedS + eta) : 0;
  const ratio = Math.min(1, Math.max(p.done / p.epochs, byTime));
  return {
    run: runId,
    device,
    bar: progressBar(ratio, 1, 16),
    pct: Math.round(ratio * 100),
    epoch: p.epoch,
    epochs: p.epochs,
    loss: fmt(p.loss),
    map: fmt(p.map),
    eta: eta === null ? '—' : duration(eta, lang),
  };
}

/** The live progress message: bar, epoch, loss, mAP50, ETA, and a Stop button. */
export function progressMessage(runId: string, p: TrainProgress, lang: Lang, device: string) {
  const text = t(lang, 'train.progress', progressValues(runId, p, lang, device));
  return { text, markup: Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.stop'), encodeCallback('ts', runId))]) };
}

/** The progress message once the run is over (finished, stopped or failed): no time left, no Stop button. */
export function endedProgressText(runId: string, p: TrainProgress, lang: Lang, device: string, outcome: string): string {
  const v = progressValues(runId, p, lang, device);
  return t(lang, 'train.progressEnded', { ...v, outcome });
}

/**
 * Where a run's model is saved, relative to DATA_DIR: `stations/<station>/models/<run>.onnx`, as
 * the exam asks the model to be named. The chat shows this, never a server's absolute path.
 */
export function modelSavePath(stationNo: string, runId: string): string {
  return `stations/${stationNo}/models/${runId}.onnx`;
}

/** The final message with the headline numbers of the evaluation of the exported model. */
export function doneMessage(runId: string, reason: TrainerDoneReason, ev: DetectionEvaluation, exam: ExamConfig, lang: Lang, elapsedS: number, stationNo: string): string {
  const perClass = ev.perClass
    .map((c) => `• ${comboLabel(String(c.classId), exam.classes, lang)}: AP50 ${fmt(c.ap50)}`)
    .join('\n');
  return t(lang, 'train.done', {
    run: runId,
    reason: t(lang, `train.reason.${reason}`),
    map50: fmt(ev.map50),
    map5095: fmt(ev.map50_95),
    precision: fmt(ev.precision),
    recall: fmt(ev.recall),
    perClass,
    elapsed: duration(elapsedS, lang),
    path: modelSavePath(stationNo, runId),
  });
}
