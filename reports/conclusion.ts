/**
 * The stage-two report's short conclusion, written from the numbers only (pure),
 * so the same run always reads the same and a test can pin every sentence.
 */
import type { Bilingual, Stage2ReportData } from './types.js';
import { pct } from './format.js';

type ConclusionInput = Pick<Stage2ReportData, 'metrics' | 'epochs' | 'confusion' | 'service' | 'dataset'>;

function nameOf(data: ConclusionInput, key: string): Bilingual {
  const c = data.dataset.classes.find((k) => k.key === key);
  return c ? { zh: c.zh, en: c.en } : { zh: key, en: key };
}

/** Sentences of the conclusion, in order: overall quality, weakest class, training curve, confusion, service. */
export function stage2Conclusion(data: ConclusionInput): Bilingual[] {
  const out: Bilingual[] = [];
  const m50 = data.metrics.map50;
  const level: Bilingual =
    m50 >= 0.9 ? { zh: '优秀，可直接部署使用', en: 'excellent, fit to deploy' }
    : m50 >= 0.7 ? { zh: '良好，个别类别仍可改进', en: 'good, with room to improve some classes' }
    : { zh: '偏低，建议补充数据或延长训练', en: 'low: add data or train longer' };
  out.push({
    zh: `验证集 mAP@0.5 为 ${m50.toFixed(3)}，mAP@0.5:0.95 为 ${data.metrics.map5095.toFixed(3)}，整体表现${level.zh}。`,
    en: `Validation mAP@0.5 is ${m50.toFixed(3)} and mAP@0.5:0.95 ${data.metrics.map5095.toFixed(3)}: ${level.en}.`,
  });

  const worst = [...data.metrics.perClass].sort((a, b) => a.ap50 - b.ap50)[0];
  if (worst && data.metrics.perClass.length > 1) {
    const n = nameOf(data, worst.classKey);
    out.push({
      zh: `最弱类别为「${n.zh}」（AP@0.5 ${worst.ap50.toFixed(3)}，召回率 ${pct(worst.recall)}）。`,
      en: `The weakest class is "${n.en}" (AP@0.5 ${worst.ap50.toFixed(3)}, recall ${pct(worst.recall)}).`,
    });
  }

  const scored = data.epochs.filter((e): e is { epoch: number; loss: number; valMap50: number } => e.valMap50 !== null);
  const best = scored.reduce<(typeof scored)[number] | undefined>((b, e) => (b === undefined || e.valMap50 > b.valMap50 ? e : b), undefined);
  const last = scored[scored.length - 1];
  const first = data.epochs[0];
  const final = data.epochs[data.epochs.length - 1];
  if (best && last && first && final) {
    const drop = best.valMap50 - last.valMap50;
    if (drop > 0.02) {
      out.push({
        zh: `mAP@0.5 在第 ${best.epoch} 轮达到最高 ${best.valMap50.toFixed(3)}，之后下降 ${drop.toFixed(3)}，有过拟合迹象；保存的是最佳轮次的模型。`,
        en: `mAP@0.5 peaked at ${best.valMap50.toFixed(3)} in epoch ${best.epoch} and fell by ${drop.toFixed(3)} afterwards, a sign of overfitting; the best epoch's model is kept.`,
      });
    } else {
      out.push({
        zh: `训练损失由 ${first.loss.toFixed(3)} 降至 ${final.loss.toFixed(3)}，mAP@0.5 在第 ${best.epoch} 轮达到最高 ${best.valMap50.toFixed(3)}，训练收敛正常。`,
        en: `Training loss fell from ${first.loss.toFixed(3)} to ${final.loss.toFixed(3)}; mAP@0.5 peaked at ${best.valMap50.toFixed(3)} in epoch ${best.epoch}: training converged.`,
      });
    }
  }

  const keys = data.confusion.classKeys;
  let pair: { gt: number; pred: number; n: number } | undefined;
  keys.forEach((_, gt) => keys.forEach((__, pred) => {
    const n = data.confusion.matrix[gt]?.[pred] ?? 0;
    if (gt !== pred && n > 0 && (pair === undefined || n > pair.n)) pair = { gt, pred, n };
  }));
  if (pair) {
    const a = nameOf(data, keys[pair.gt] ?? '');
    const b = nameOf(data, keys[pair.pred] ?? '');
    out.push({
      zh: `最常见的混淆是把「${a.zh}」识别为「${b.zh}」（${pair.n} 次）。`,
      en: `The most frequent confusion is "${a.en}" predicted as "${b.en}" (${pair.n} times).`,
    });
  } else {
    out.push({ zh: '验证集上类别之间没有混淆。', en: 'No class was confused with another on the validation set.' });
  }

  const s = data.service;
  out.push(
    s === null
      ? { zh: '模型尚未部署为调用服务。', en: 'The model is not yet deployed as an invocation service.' }
      : {
          zh: `模型已部署为调用服务，实测延迟 p50 ${s.p50Ms.toFixed(0)} ms、p95 ${s.p95Ms.toFixed(0)} ms。`,
          en: `The model is deployed as an invocation service; measured latency p50 ${s.p50Ms.toFixed(0)} ms, p95 ${s.p95Ms.toFixed(0)} ms.`,
        },
  );
  return out;
}
