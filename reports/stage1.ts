/**
 * The stage-one dataset acceptance report (数据集制作验收报告): data in, PDF bytes out.
 */
import { barChart, lineChart } from './charts/index.js';
import { datasetSource, histogram, pct, when } from './format.js';
import { assertAcceptanceConsistent } from './consistency.js';
import { assertNoFullId } from './guard.js';
import { ReportDoc, type Cell } from './pdf/doc.js';
import { classLegend, GRID_LEAD, photoGrid } from './pdf/photo-grid.js';
import { COLOR, CONTENT_WIDTH, MARGIN } from './pdf/style.js';
import type { AcceptanceSample, ReasonCount, Stage1ReportData } from './types.js';

export const STAGE1_TITLE = { zh: '数据集制作验收报告', en: 'Dataset acceptance report' } as const;

const reasons = (list: readonly ReasonCount[]): string =>
  list.filter((r) => r.count > 0).map((r) => `${r.reason.zh} ${r.reason.en} ×${r.count}`).join('\n') || '—';

/** Renders the stage-one report; refuses data holding a full ID number. */
export async function renderStage1Report(data: Stage1ReportData): Promise<Buffer> {
  assertNoFullId(data);
  if (data.acceptance) assertAcceptanceConsistent(data.acceptance);
  const doc = new ReportDoc(STAGE1_TITLE, data.station, when(data.times.generated));
  doc.titleBlock([
    [{ zh: '工位号', en: 'Station' }, data.station],
    [{ zh: '参赛选手', en: 'Contestant' }, data.contestantName],
    [{ zh: '身份证号（已脱敏）', en: 'ID (masked)' }, data.maskedId],
    [{ zh: '数据集名称', en: 'Dataset' }, data.datasetName],
    [{ zh: '标注任务名称', en: 'Labeling task' }, data.taskName],
    [{ zh: '数据来源', en: 'Source' }, datasetSource(data.imports, '选手自行采集标注 · Captured and labeled by the contestant')],
    [{ zh: '登记时间', en: 'Registered' }, when(data.times.registered)],
    [{ zh: '首张 / 末张照片', en: 'First / last photo' }, `${when(data.times.firstPhoto)}  /  ${when(data.times.lastPhoto)}`],
    [{ zh: '验收审核时间', en: 'Reviewed' }, when(data.times.reviewed)],
  ]);

  capturePlan(doc, data);
  cleaning(doc, data);
  labeling(doc, data);
  acceptance(doc, data);

  // Keep the last section with the signature lines rather than leave them alone on a page.
  doc.ensure(230);
  doc.h1(5, { zh: '数据集保存', en: 'Where the dataset is saved' });
  doc.keyValues([
    [{ zh: '保存路径', en: 'Path' }, data.savedPath],
    [{ zh: '格式', en: 'Formats' }, 'YOLO (data.yaml, images/, labels/) · COCO JSON · Pascal VOC XML'],
  ]);
  doc.signatures();
  return doc.finish();
}

function capturePlan(doc: ReportDoc, data: Stage1ReportData): void {
  doc.h1(1, { zh: '采集计划与完成情况', en: 'Capture plan and result' });
  const sum = (f: (r: (typeof data.combos)[number]) => number): number => data.combos.reduce((s, r) => s + f(r), 0);
  const rows: Cell[][] = data.combos.map((r) => [
    `${r.label.zh}\n${r.label.en}`,
    String(r.planned),
    String(r.captured),
    reasons(r.rejected),
    String(r.final),
    r.final >= r.planned ? { text: '达标 OK', color: COLOR.good } : { text: `缺 ${r.planned - r.final} Short`, color: COLOR.bad },
  ]);
  const planned = sum((r) => r.planned);
  const final = sum((r) => r.final);
  rows.push([
    { text: '合计 Total', bold: true },
    { text: String(planned), bold: true },
    { text: String(sum((r) => r.captured)), bold: true },
    { text: String(sum((r) => r.rejected.reduce((s, x) => s + x.count, 0))), bold: true },
    { text: String(final), bold: true },
    final >= planned ? { text: '达标 OK', color: COLOR.good, bold: true } : { text: `缺 ${planned - final} Short`, color: COLOR.bad, bold: true },
  ]);
  doc.table(
    [
      { head: { zh: '类别组合', en: 'Combo' }, width: 0.3 },
      { head: { zh: '计划', en: 'Planned' }, width: 0.09, align: 'right' },
      { head: { zh: '采集', en: 'Captured' }, width: 0.1, align: 'right' },
      { head: { zh: '剔除（原因）', en: 'Rejected (reason)' }, width: 0.27 },
      { head: { zh: '最终', en: 'Final' }, width: 0.09, align: 'right' },
      { head: { zh: '状态', en: 'Status' }, width: 0.15, align: 'center' },
    ],
    rows,
  );
}

function cleaning(doc: ReportDoc, data: Stage1ReportData): void {
  doc.h1(2, { zh: '数据清洗', en: 'Cleaning' });
  const rejected = data.cleaning.rejected.reduce((s, r) => s + r.count, 0);
  doc.bilingual({
    zh: `清洗后保留 ${data.cleaning.accepted} 张照片，剔除 ${rejected} 张（剔除的照片保留在 rejected/ 中，可随时恢复）。`,
    en: `${data.cleaning.accepted} photos kept after cleaning, ${rejected} rejected (kept in rejected/, restorable).`,
  });
  doc.table(
    [
      { head: { zh: '结果 / 原因', en: 'Outcome / reason' }, width: 0.7 },
      { head: { zh: '照片数', en: 'Photos' }, width: 0.3, align: 'right' },
    ],
    [
      [{ text: '保留 Accepted', color: COLOR.good }, String(data.cleaning.accepted)],
      ...data.cleaning.rejected.map((r) => [`剔除：${r.reason.zh} · Rejected: ${r.reason.en}`, String(r.count)]),
    ],
  );
}

function labeling(doc: ReportDoc, data: Stage1ReportData): void {
  doc.h1(3, { zh: '标注统计', en: 'Labeling statistics' });
  const l = data.labeling;
  const totalBoxes = l.boxesPerClass.reduce((s, c) => s + c.count, 0);
  const photos = l.boxesPerPhoto.reduce((s, b) => s + b.photos, 0);
  doc.bilingual({
    zh: `共 ${photos} 张已标注照片、${totalBoxes} 个标注框，平均每张 ${(totalBoxes / Math.max(1, photos)).toFixed(2)} 个。`,
    en: `${photos} labeled photos with ${totalBoxes} boxes, ${(totalBoxes / Math.max(1, photos)).toFixed(2)} per photo on average.`,
  });
  const h = 170;
  doc.ensure(h + 20);
  const y = doc.y;
  const half = (CONTENT_WIDTH - 16) / 2;
  const cls = new Map(data.classes.map((c) => [c.key, c]));
  barChart(doc.pdf, { x: MARGIN.left, y, w: half, h }, l.boxesPerClass.map((c) => ({ label: cls.get(c.classKey)?.zh ?? c.classKey, value: c.count, color: cls.get(c.classKey)?.color })), { x: '类别 Class', y: '标注框数 Boxes' });
  barChart(doc.pdf, { x: MARGIN.left + half + 16, y, w: half, h }, l.boxesPerPhoto.map((b) => ({ label: String(b.boxes), value: b.photos })), { x: '每张照片的框数 Boxes per photo', y: '照片数 Photos' });
  doc.y = y + h + 4;
  doc.caption({ zh: '图 1 各类别标注框数（左）与每张照片框数分布（右）', en: 'Fig. 1 Boxes per class (left) and boxes per photo (right)' });

  const sizes = l.boxSizes.map((s) => Math.sqrt(s.width * s.height));
  const hist = histogram(sizes, 12);
  doc.ensure(h + 40);
  const y2 = doc.y;
  barChart(doc.pdf, { x: MARGIN.left, y: y2, w: half, h }, hist.counts.map((c, i) => ({ label: String(Math.round(hist.edges[i] ?? 0)), value: c, color: '#6e8fb8' })), { x: '框尺寸 √(宽×高) / 像素 Box size √(w·h), px', y: '标注框数 Boxes' });
  const scatter = l.boxSizes.map((s) => ({ x: s.width, y: s.height }));
  const max = Math.max(1, ...l.boxSizes.map((p) => Math.max(p.width, p.height)));
  lineChart(doc.pdf, { x: MARGIN.left + half + 16, y: y2, w: half, h }, [{ name: 'boxes', color: COLOR.accent, points: scatter, dots: true }], { x: '宽 / 像素 Width, px', y: '高 / 像素 Height, px', xRange: [0, max], yRange: [0, max] });
  doc.y = y2 + h + 4;
  const sorted = [...sizes].sort((a, b) => a - b);
  const q = (f: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 0);
  doc.caption({
    zh: `图 2 框尺寸分布（左）与宽高散点（右）；最小 ${q(0)}，中位数 ${q(0.5)}，最大 ${q(1)} 像素`,
    en: `Fig. 2 Box sizes (left), width vs height (right); min ${q(0)}, median ${q(0.5)}, max ${q(1)} px`,
  });
}

function acceptance(doc: ReportDoc, data: Stage1ReportData): void {
  doc.h1(4, { zh: '验收抽样', en: 'Acceptance sample' });
  const a = data.acceptance;
  if (a === null) {
    doc.bilingual({ zh: '尚未进行验收审核（/review）。', en: 'No acceptance review has been done yet (/review).' });
    return;
  }
  summary(doc, a);
  const name = new Map(data.classes.map((c) => [c.key, c]));
  doc.h2({ zh: '抽样照片与逐框判定', en: 'Sampled photos and verdict per box' });
  doc.table(
    [
      { head: { zh: '照片', en: 'Photo' }, width: 0.24 },
      { head: { zh: '逐框判定', en: 'Verdict per box' }, width: 0.46 },
      { head: { zh: '合格', en: 'Qualified' }, width: 0.1, align: 'right' },
      { head: { zh: '漏标', en: 'Missed' }, width: 0.1, align: 'right' },
      { head: { zh: '不合格', en: 'Failed' }, width: 0.1, align: 'right' },
    ],
    a.photos.map((ph) => {
      const ok = ph.boxes.filter((b) => b.verdict === 'qualified').length;
      const failed = ph.boxes.length - ok + ph.missed;
      const verdicts = ph.boxes.map((b) => `${name.get(b.classKey)?.zh ?? b.classKey}:${VERDICT[b.verdict]}`).join('  ');
      return [ph.name, verdicts || '—', String(ok), String(ph.missed), failed > 0 ? { text: String(failed), color: COLOR.bad } : '0'];
    }),
  );
  doc.ensure(GRID_LEAD);
  doc.h2({ zh: '抽样照片缩略图', en: 'Sampled photos with their boxes' });
  classLegend(doc, data.classes);
  const byName = new Map(a.photos.map((ph) => [ph.name, ph]));
  photoGrid(doc, data.samplePhotos.map((photo) => {
    const s = byName.get(photo.name);
    const ok = s?.boxes.filter((b) => b.verdict === 'qualified').length ?? 0;
    return { photo, note: s ? `合格 ${ok}/${s.boxes.length + s.missed} qualified` : undefined };
  }), data.classes);
}

const VERDICT = { qualified: '合格 OK', loose: '不贴合 loose', 'wrong-label': '错标 wrong' } as const;

function summary(doc: ReportDoc, a: AcceptanceSample): void {
  const boxes = a.photos.reduce((s, p) => s + p.boxes.length, 0);
  const missed = a.photos.reduce((s, p) => s + p.missed, 0);
  doc.keyValues([
    [{ zh: '抽样比例', en: 'Sample rate' }, `${pct(a.rate, 0)}（${a.photos.length} / ${a.labeledPhotos} 张 photos）`],
    [{ zh: '随机种子', en: 'Seed' }, a.seed],
    [{ zh: '样本中的框 + 漏标', en: 'Boxes + missed objects' }, `${boxes} + ${missed} = ${a.total}`],
    [{ zh: '合格框数', en: 'Qualified boxes' }, String(a.qualified)],
    [{ zh: '准确率', en: 'Accuracy' }, `${pct(a.accuracy)}（${a.qualified} / ${a.total}）`],
  ]);
}
