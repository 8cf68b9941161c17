/**
 * The stage-two project report (人工智能深度学习工程应用项目报告): data in, PDF bytes out.
 */
import { heatmap, lineChart } from './charts/index.js';
import { stage2Conclusion } from './conclusion.js';
import { datasetSource, fix3, pct, when } from './format.js';
import { assertNoFullId } from './guard.js';
import { ReportDoc, type Cell } from './pdf/doc.js';
import { classLegend, GRID_LEAD, photoGrid } from './pdf/photo-grid.js';
import { COLOR, CONTENT_WIDTH, FONT, MARGIN, SIZE } from './pdf/style.js';
import type { Stage2ReportData } from './types.js';

export const STAGE2_TITLE = { zh: '人工智能深度学习工程应用项目报告', en: 'Deep-learning engineering project report' } as const;

/** Renders the stage-two report; refuses data holding a full ID number. */
export async function renderStage2Report(data: Stage2ReportData): Promise<Buffer> {
  assertNoFullId(data);
  const doc = new ReportDoc(STAGE2_TITLE, data.station, when(data.generated));
  const d = data.dataset;
  doc.titleBlock([
    [{ zh: '工位号', en: 'Station' }, data.station],
    [{ zh: '参赛选手', en: 'Contestant' }, data.contestantName],
    [{ zh: '身份证号（已脱敏）', en: 'ID (masked)' }, data.maskedId],
    [{ zh: '训练任务（容器）', en: 'Training run (container)' }, data.runName],
    [{ zh: '验证集 mAP@0.5', en: 'Validation mAP@0.5' }, fix3(data.metrics.map50)],
  ]);

  doc.h1(1, { zh: '数据集使用', en: 'Dataset used' });
  doc.keyValues([
    [{ zh: '数据集', en: 'Dataset' }, d.name],
    [{ zh: '来源', en: 'Source' }, datasetSource(d.imports, '选手自制数据集 · The contestant’s own dataset')],
    [{ zh: '类别', en: 'Classes' }, d.classes.map((c) => `${c.zh} ${c.en}`).join('；')],
    [{ zh: '照片 / 标注框', en: 'Photos / boxes' }, `${d.photos} / ${d.boxes}`],
    [{ zh: '训练集 / 验证集', en: 'Train / val split' }, `${d.train} / ${d.val}（验证集 ${pct(d.val / Math.max(1, d.train + d.val), 0)} val）`],
  ]);

  doc.h1(2, { zh: '参数设置', en: 'Training parameters' });
  doc.table(
    [
      { head: { zh: '参数', en: 'Parameter' }, width: 0.18 },
      { head: { zh: '取值', en: 'Value' }, width: 0.16 },
      { head: { zh: '含义', en: 'What it means' }, width: 0.66 },
    ],
    data.params.map((r) => [{ text: r.name, bold: true }, r.value, `${r.meaning.zh}\n${r.meaning.en}`]),
  );

  doc.h1(3, { zh: '训练环境', en: 'Environment' });
  const e = data.environment;
  doc.keyValues([
    [{ zh: '设备', en: 'Device' }, e.device],
    [{ zh: '软件版本', en: 'Libraries' }, `torch ${e.torch} · torchvision ${e.torchvision} · onnxruntime ${e.onnxruntime}`],
    [{ zh: '训练用时', en: 'Training time' }, `${Math.round(e.trainSeconds)} s（${data.epochs.length} 轮 epochs）`],
  ]);

  curves(doc, data);
  evaluation(doc, data);

  doc.ensure(GRID_LEAD + 20);
  doc.h1(6, { zh: '验证集预测与真值对比', en: 'Validation predictions vs ground truth' });
  classLegend(doc, d.classes, '虚线白框为真值，实线彩框为预测（含置信度） · dashed white: ground truth; solid: prediction with score');
  photoGrid(doc, data.valGrid.map((v) => ({ photo: v.photo, predictions: v.predictions })), d.classes);

  deployment(doc, data);

  doc.ensure(260);
  doc.h1(8, { zh: '结论', en: 'Conclusion' });
  for (const s of stage2Conclusion(data)) doc.bilingual(s, { bullet: true });
  doc.signatures();
  return doc.finish();
}

function curves(doc: ReportDoc, data: Stage2ReportData): void {
  doc.h1(4, { zh: '训练过程', en: 'Training curves' });
  const h = 170;
  doc.ensure(h + 24);
  const y = doc.y;
  const half = (CONTENT_WIDTH - 16) / 2;
  const last = Math.max(1, ...data.epochs.map((e) => e.epoch));
  lineChart(doc.pdf, { x: MARGIN.left, y, w: half, h }, [{ name: 'loss', color: COLOR.bad, points: data.epochs.map((e) => ({ x: e.epoch, y: e.loss })) }], { x: '轮次 Epoch', y: '训练损失 Training loss', xRange: [0, last] });
  const map = data.epochs.filter((e) => e.valMap50 !== null).map((e) => ({ x: e.epoch, y: e.valMap50 ?? 0 }));
  lineChart(doc.pdf, { x: MARGIN.left + half + 16, y, w: half, h }, [{ name: 'mAP@0.5', color: COLOR.accent, points: map }], { x: '轮次 Epoch', y: '验证集 mAP@0.5 Val mAP@0.5', xRange: [0, last], yRange: [0, 1] });
  doc.y = y + h + 4;
  doc.caption({ zh: '图 1 训练损失（左）与验证集 mAP@0.5（右）随轮次变化', en: 'Fig. 1 Training loss (left) and validation mAP@0.5 (right) per epoch' });
}

function evaluation(doc: ReportDoc, data: Stage2ReportData): void {
  doc.h1(5, { zh: '模型评估', en: 'Evaluation' });
  const cls = new Map(data.dataset.classes.map((c) => [c.key, c]));
  const m = data.metrics;
  const rows: Cell[][] = m.perClass.map((r) => {
    const c = cls.get(r.classKey);
    return [`${c?.zh ?? r.classKey}\n${c?.en ?? ''}`, fix3(r.ap50), fix3(r.ap5095), fix3(r.precision), fix3(r.recall)];
  });
  const mean = (f: (r: (typeof m.perClass)[number]) => number): string => fix3(m.perClass.reduce((s, r) => s + f(r), 0) / Math.max(1, m.perClass.length));
  rows.push([
    { text: '全部类别 All classes', bold: true },
    { text: fix3(m.map50), bold: true },
    { text: fix3(m.map5095), bold: true },
    { text: mean((r) => r.precision), bold: true },
    { text: mean((r) => r.recall), bold: true },
  ]);
  doc.table(
    [
      { head: { zh: '类别', en: 'Class' }, width: 0.32 },
      { head: { zh: 'AP@0.5', en: 'AP@0.5' }, width: 0.17, align: 'right' },
      { head: { zh: 'AP@0.5:0.95', en: 'AP@0.5:0.95' }, width: 0.17, align: 'right' },
      { head: { zh: '精确率', en: 'Precision' }, width: 0.17, align: 'right' },
      { head: { zh: '召回率', en: 'Recall' }, width: 0.17, align: 'right' },
    ],
    rows,
  );
  const h = 190;
  doc.ensure(h + 24);
  const y = doc.y;
  const half = (CONTENT_WIDTH - 16) / 2;
  lineChart(
    doc.pdf,
    { x: MARGIN.left, y, w: half, h },
    data.prCurves.map((c) => ({ name: cls.get(c.classKey)?.zh ?? c.classKey, color: cls.get(c.classKey)?.color ?? COLOR.accent, points: c.points.map((p) => ({ x: p.recall, y: p.precision })) })),
    { x: '召回率 Recall', y: '精确率 Precision', xRange: [0, 1], yRange: [0, 1] },
  );
  const labels = [...data.confusion.classKeys.map((k) => cls.get(k)?.zh ?? k), '背景 bg'];
  heatmap(doc.pdf, { x: MARGIN.left + half + 16, y, w: half, h }, labels, data.confusion.matrix, { rows: '真值 Ground truth', cols: '预测 Predicted' });
  doc.y = y + h + 4;
  doc.caption({ zh: '图 2 各类别 PR 曲线（左，IoU 0.5）与混淆矩阵（右）', en: 'Fig. 2 PR curves per class (left, IoU 0.5) and confusion matrix (right)' });
}

function deployment(doc: ReportDoc, data: Stage2ReportData): void {
  doc.h1(7, { zh: '模型保存与部署', en: 'Model and deployment' });
  const s = data.service;
  doc.keyValues([
    [{ zh: '模型保存路径', en: 'Model saved at' }, data.modelPath],
    [{ zh: '训练任务', en: 'Run' }, data.runName],
    [{ zh: '调用服务', en: 'Invocation service' }, s ? s.url : '未部署 · Not deployed'],
    ...(s ? ([[{ zh: '实测延迟', en: 'Measured latency' }, `p50 ${s.p50Ms.toFixed(0)} ms · p95 ${s.p95Ms.toFixed(0)} ms`]] as const) : []),
  ]);
  if (!s) return;
  doc.h2({ zh: '调用示例', en: 'API example' });
  const p = doc.pdf;
  p.font(FONT.regular).fontSize(SIZE.small);
  const h = p.heightOfString(s.apiExample, { width: CONTENT_WIDTH - 16 }) + 12;
  doc.ensure(h + 8);
  const y = p.y;
  p.rect(MARGIN.left, y, CONTENT_WIDTH, h).fill('#f6f8fa');
  p.fillColor(COLOR.text).text(s.apiExample, MARGIN.left + 8, y + 6, { width: CONTENT_WIDTH - 16 });
  p.y = y + h + 8;
  p.x = MARGIN.left;
}
