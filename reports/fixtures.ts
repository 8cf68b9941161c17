/**
 * A full 100-photo station as report data, for the rendering tests and the bench
 * (not part of the runtime API). Thumbnails are small synthetic JPEGs made with
 * sharp, with boxes on the drawn meters.
 */
import sharp from 'sharp';
import { seededRandom } from '../core/index.js';
import type { ReportBox, ReportClass, ReportPhoto, Stage1ReportData, Stage2ReportData } from './types.js';

export const FIXTURE_CLASSES: ReportClass[] = [
  { key: 'gauge_normal', zh: '指针表正常', en: 'Gauge normal', color: '#2e7d32' },
  { key: 'gauge_abnormal', zh: '指针表异常', en: 'Gauge abnormal', color: '#c62828' },
  { key: 'digital', zh: '数字表', en: 'Digital meter', color: '#1565c0' },
];

const rng = seededRandom;

const COMBOS: string[][] = [['gauge_normal'], ['gauge_abnormal'], ['digital'], ['gauge_normal', 'gauge_abnormal'], ['gauge_normal', 'digital'], ['gauge_abnormal', 'digital'], ['gauge_normal', 'gauge_abnormal', 'digital']];
const QUOTA = [10, 10, 10, 20, 20, 20, 10];

interface FixturePhoto { name: string; combo: number; boxes: ReportBox[] }

/** 100 labeled photos (320×240 thumbnail pixels), per the exam's 10/20/10 plan. */
function photos(): FixturePhoto[] {
  const rand = rng(7);
  const out: FixturePhoto[] = [];
  COMBOS.forEach((combo, ci) => {
    for (let i = 0; i < (QUOTA[ci] ?? 0); i++) {
      const boxes = combo.map((classKey, k) => {
        const w = 50 + rand() * 40;
        const h = 50 + rand() * 40;
        const x1 = 10 + k * 100 + rand() * 10;
        const y1 = 30 + rand() * 100;
        return { classKey, x1, y1, x2: x1 + w, y2: y1 + h };
      });
      out.push({ name: `IMG_${String(out.length + 1).padStart(4, '0')}.jpg`, combo: ci, boxes });
    }
  });
  return out;
}

async function thumbnail(p: FixturePhoto): Promise<ReportPhoto> {
  const fill = new Map(FIXTURE_CLASSES.map((c) => [c.key, c.color]));
  const shapes = p.boxes.map((b) => `<ellipse cx="${(b.x1 + b.x2) / 2}" cy="${(b.y1 + b.y2) / 2}" rx="${(b.x2 - b.x1) / 2}" ry="${(b.y2 - b.y1) / 2}" fill="#eeeeee" stroke="${fill.get(b.classKey)}" stroke-width="4"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="#5d6d7e"/>${shapes}</svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
  return { name: p.name, jpeg, width: 320, height: 240, boxes: p.boxes };
}

/** Stage-one data for a 100-photo station with a recorded 20 % review. */
export async function stage1Fixture(): Promise<Stage1ReportData> {
  const all = photos();
  const rand = rng(11);
  const sample = [...all].sort(() => rand() - 0.5).slice(0, 20);
  const samplePhotos = sample.map((p, i) => ({
    name: p.name,
    boxes: p.boxes.map((b, k) => ({ classKey: b.classKey, verdict: (i === 3 && k === 0 ? 'loose' : i === 8 && k === 0 ? 'wrong-label' : 'qualified') as 'qualified' | 'loose' | 'wrong-label' })),
    missed: i === 12 ? 1 : 0,
  }));
  const boxes = samplePhotos.reduce((s, p) => s + p.boxes.length, 0);
  const qualified = samplePhotos.reduce((s, p) => s + p.boxes.filter((b) => b.verdict === 'qualified').length, 0);
  const total = boxes + 1;
  const blur = { zh: '模糊', en: 'Blurry' };
  const dup = { zh: '重复', en: 'Duplicate' };
  return {
    station: 'A07',
    contestantName: '张伟',
    maskedId: '1101**********1234',
    datasetName: 'A07',
    taskName: 'competition',
    times: { registered: '2026-11-30T01:02:00Z', firstPhoto: '2026-11-30T01:10:00Z', lastPhoto: '2026-11-30T01:52:00Z', reviewed: '2026-11-30T02:20:00Z', generated: '2026-11-30T02:25:00Z' },
    classes: FIXTURE_CLASSES,
    combos: COMBOS.map((combo, ci) => {
      const names = combo.map((k) => FIXTURE_CLASSES.find((c) => c.key === k));
      const q = QUOTA[ci] ?? 0;
      return {
        label: { zh: names.map((n) => n?.zh).join(' + '), en: names.map((n) => n?.en).join(' + ') },
        planned: q,
        captured: q + (ci % 3),
        rejected: [{ reason: blur, count: ci % 3 === 1 ? 1 : 0 }, { reason: dup, count: ci % 3 === 2 ? 2 : 0 }],
        final: q,
      };
    }),
    cleaning: { accepted: 100, rejected: [{ reason: blur, count: 2 }, { reason: dup, count: 4 }, { reason: { zh: '过暗', en: 'Too dark' }, count: 0 }] },
    labeling: {
      boxesPerClass: FIXTURE_CLASSES.map((c) => ({ classKey: c.key, count: all.reduce((s, p) => s + p.boxes.filter((b) => b.classKey === c.key).length, 0) })),
      boxesPerPhoto: [1, 2, 3].map((n) => ({ boxes: n, photos: all.filter((p) => p.boxes.length === n).length })),
      boxSizes: all.flatMap((p) => p.boxes.map((b) => ({ width: Math.round((b.x2 - b.x1) * 12.5), height: Math.round((b.y2 - b.y1) * 12.5) }))),
    },
    acceptance: { seed: 'c0ffee42', rate: 0.2, labeledPhotos: 100, photos: samplePhotos, qualified, total, accuracy: qualified / total },
    samplePhotos: await Promise.all(sample.map(async (p, i) => {
      const t = await thumbnail(p);
      return { ...t, boxes: t.boxes.map((b, k) => ({ ...b, verdict: samplePhotos[i]?.boxes[k]?.verdict })) };
    })),
    savedPath: 'stations/A07/dataset/A07',
    imported: false,
    imports: [],
  };
}

/** Stage-two data for a run trained on the same station. */
export async function stage2Fixture(): Promise<Stage2ReportData> {
  const all = photos();
  const val = all.filter((_, i) => i % 5 === 0);
  const rand = rng(3);
  const epochs = Array.from({ length: 30 }, (_, i) => ({ epoch: i + 1, loss: 2.4 * Math.exp(-i / 8) + 0.15 + rand() * 0.05, valMap50: i % 2 === 1 ? Math.min(0.97, 0.3 + 0.7 * (1 - Math.exp(-i / 6))) : null }));
  const pr = (k: number) => Array.from({ length: 40 }, (_, i) => ({ recall: i / 39, precision: Math.max(0, 1 - Math.pow(i / 39, 6 - k)) }));
  return {
    station: 'A07',
    contestantName: '张伟',
    maskedId: '1101**********1234',
    generated: '2026-11-30T03:40:00Z',
    dataset: { name: 'A07', imported: false, imports: [], classes: FIXTURE_CLASSES, photos: 100, boxes: 190, train: 80, val: 20 },
    runName: 'A07-r2',
    modelPath: 'stations/A07/models/A07-r2/model.onnx',
    params: [
      { name: 'model', value: 'ssdlite', meaning: { zh: '检测模型结构：SSDLite（MobileNetV3 主干）', en: 'Detector architecture: SSDLite (MobileNetV3 backbone)' } },
      { name: 'epochs', value: '30', meaning: { zh: '训练轮数：完整遍历训练集的次数', en: 'Epochs: passes over the training set' } },
      { name: 'batch', value: '8', meaning: { zh: '批大小：每次参数更新使用的图片数', en: 'Batch size: images per update' } },
      { name: 'lr', value: '0.001', meaning: { zh: '学习率：每次更新的步长', en: 'Learning rate: step size of each update' } },
      { name: 'opt', value: 'adamw', meaning: { zh: '优化器', en: 'Optimiser' } },
      { name: 'size', value: '320', meaning: { zh: '输入尺寸（像素）', en: 'Input size in pixels' } },
      { name: 'aug', value: 'on', meaning: { zh: '数据增强：翻转、色彩抖动', en: 'Augmentation: flips, colour jitter' } },
      { name: 'seed', value: '42', meaning: { zh: '随机种子，保证结果可复现', en: 'Random seed, for reproducible results' } },
    ],
    environment: { device: 'CPU (2 cores)', torch: '2.5.1', torchvision: '0.20.1', onnxruntime: '1.20.1', trainSeconds: 312 },
    epochs,
    metrics: {
      map50: 0.953,
      map5095: 0.712,
      perClass: [
        { classKey: 'gauge_normal', ap50: 0.981, ap5095: 0.744, precision: 0.95, recall: 0.97 },
        { classKey: 'gauge_abnormal', ap50: 0.902, ap5095: 0.655, precision: 0.88, recall: 0.9 },
        { classKey: 'digital', ap50: 0.976, ap5095: 0.737, precision: 0.96, recall: 0.98 },
      ],
    },
    prCurves: FIXTURE_CLASSES.map((c, k) => ({ classKey: c.key, points: pr(k) })),
    confusion: { classKeys: FIXTURE_CLASSES.map((c) => c.key), matrix: [[12, 1, 0, 0], [2, 11, 0, 1], [0, 0, 13, 0], [1, 0, 0, 0]] },
    valGrid: await Promise.all(val.slice(0, 12).map(async (p) => ({
      photo: await thumbnail(p),
      predictions: p.boxes.map((b, k) => ({ ...b, x1: b.x1 + 3, y1: b.y1 - 2, x2: b.x2 + 2, y2: b.y2 + 3, score: 0.97 - k * 0.08 })),
    }))),
    service: { url: 'http://192.168.1.20:8080/api/v1/stations/A07/detect', apiExample: 'curl -X POST -H "Authorization: Bearer $KEY" --data-binary @meter.jpg \\\n  "http://192.168.1.20:8080/api/v1/stations/A07/detect?score=0.5"', p50Ms: 38, p95Ms: 61 },
  };
}
