/**
 * Both reports rendered from a full 100-photo station: text checked with pdftotext,
 * every word's position with `pdftotext -bbox-layout`, pages rasterised with pdftoppm.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stage1Fixture, stage2Fixture } from './fixtures.js';
import { renderStage1Report, renderStage2Report, type Stage1ReportData, type Stage2ReportData } from './index.js';
import { MARGIN, PAGE } from './pdf/style.js';

let dir: string;
let s1: Stage1ReportData;
let s2: Stage2ReportData;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reports-'));
  [s1, s2] = await Promise.all([stage1Fixture(), stage2Fixture()]);
  files.one = join(dir, 'one.pdf');
  files.two = join(dir, 'two.pdf');
  writeFileSync(files.one, await renderStage1Report(s1));
  writeFileSync(files.two, await renderStage2Report(s2));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (pdf: string): string => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
const pageCount = (pdf: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);

interface Word { page: number; x0: number; y0: number; x1: number; y1: number; text: string }

function words(pdf: string): { words: Word[]; pages: { width: number; height: number }[] } {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const pages: { width: number; height: number }[] = [];
  const out: Word[] = [];
  for (const [i, chunk] of html.split('<page ').slice(1).entries()) {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(chunk);
    pages.push({ width: Number(size?.[1]), height: Number(size?.[2]) });
    for (const m of chunk.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      out.push({ page: i + 1, x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: m[5] ?? '' });
    }
  }
  return { words: out, pages };
}

/** Every word inside the side margins; body words (between header and footer bands) inside the top and bottom margins. */
function outside(pdf: string): Word[] {
  const { words: ws } = words(pdf);
  return ws.filter((w) => {
    const sides = w.x0 < MARGIN.left - 1.5 || w.x1 > PAGE.width - MARGIN.right + 1.5;
    const band = w.y1 < 46 || w.y0 > PAGE.height - 50;
    const body = !band && (w.y0 < MARGIN.top - 1.5 || w.y1 > PAGE.height - MARGIN.bottom + 1.5);
    return sides || body || w.y0 < 20 || w.y1 > PAGE.height - 20;
  });
}

function rasterise(pdf: string, prefix: string): number {
  execFileSync('pdftoppm', ['-r', '50', '-png', pdf, join(dir, prefix)]);
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.png')).length;
}

describe('stage-one report', () => {
  it('prints the Chinese headings, the plan counts, the sample and its accuracy, and the masked ID only', () => {
    const t = text(files.one ?? '');
    for (const h of ['数据集制作验收报告', '采集计划与完成情况', '数据清洗', '标注统计', '验收抽样', '数据集保存', '参赛选手签字', '审核人 / 裁判签字']) expect(t).toContain(h);
    expect(t).toContain('Dataset acceptance report');
    expect(t).toContain('competition');
    expect(t).toContain('1101**********1234');
    expect(t).not.toMatch(/\d{17}[\dX]/);
    const a = s1.acceptance;
    expect(a).not.toBeNull();
    expect(t).toContain(`92.3%（${a?.qualified} / ${a?.total}）`);
    expect(t).toContain('c0ffee42');
    // Per combo: the triple's row and the totals row (planned, captured, rejected, final).
    expect(t).toMatch(/指针表正常 \+ 指针表异常 \+ 数字表\s+10\s+10\s+—\s+10\s+达标 OK/);
    expect(t).toMatch(/数字表\s+10\s+12\s+重复 Duplicate ×2\s+10/);
    expect(t).toMatch(/合计 Total\s+100\s+106\s+6\s+100/);
    expect(t).toContain('stations/A07/dataset/A07');
    for (const p of s1.samplePhotos) expect(t).toContain(p.name);
  });

  it('keeps every word inside the margins on a sane number of A4 pages', () => {
    expect(outside(files.one ?? '')).toEqual([]);
    const n = pageCount(files.one ?? '');
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(6);
    expect(rasterise(files.one ?? '', 'one')).toBe(n);
    expect(words(files.one ?? '').pages.every((p) => Math.abs(p.width - PAGE.width) < 1 && Math.abs(p.height - PAGE.height) < 1)).toBe(true);
    expect(text(files.one ?? '')).toContain(`第 ${n} / ${n} 页`);
  });

  it('says when no review was done and marks an imported dataset, and refuses a full ID number', async () => {
    const pdf = join(dir, 'no-review.pdf');
    const imports = [{ fileName: 'standard.zip', format: 'yolo' as const, at: '2026-11-30T09:00:00Z', photos: 100, boxes: 190 }];
    writeFileSync(pdf, await renderStage1Report({ ...s1, acceptance: null, samplePhotos: [], imported: true, imports }));
    const t = text(pdf);
    expect(t).toContain('尚未进行验收审核');
    expect(t).toContain('Judges’ standard dataset (imported)');
    expect(t).toContain('standard.zip (YOLO)');
    await expect(renderStage1Report({ ...s1, maskedId: '110101199003074514' })).rejects.toThrow(/data\.maskedId holds a full ID-card number/);
  });
});

describe('stage-two report', () => {
  it('prints the Chinese headings, parameters, environment, mAP per class, the service and the conclusion', () => {
    const t = text(files.two ?? '');
    for (const h of ['人工智能深度学习工程应用项目报告', '数据集使用', '参数设置', '训练环境', '训练过程', '模型评估', '验证集预测与真值对比', '模型保存与部署', '结论']) expect(t).toContain(h);
    expect(t).toMatch(/全部类别 All classes\s+0\.953\s+0\.712/);
    expect(t).toMatch(/指针表异常\s+0\.902\s+0\.655\s+0\.880\s+0\.900/);
    expect(t).toContain('torch 2.5.1');
    expect(t).toContain('A07-r2');
    expect(t).toContain('p50 38 ms');
    expect(t).toContain('最弱类别为「指针表异常」');
    expect(t).toContain('1101**********1234');
    expect(t).not.toMatch(/\d{17}[\dX]/);
  });

  it('keeps every word inside the margins on a sane number of A4 pages', () => {
    expect(outside(files.two ?? '')).toEqual([]);
    const n = pageCount(files.two ?? '');
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(6);
    expect(rasterise(files.two ?? '', 'two')).toBe(n);
  });

  it('says "not deployed" without a service', async () => {
    const pdf = join(dir, 'undeployed.pdf');
    writeFileSync(pdf, await renderStage2Report({ ...s2, service: null }));
    const t = text(pdf);
    expect(t).toContain('未部署 · Not deployed');
    expect(t).toContain('模型尚未部署为调用服务');
    expect(t).not.toContain('调用示例');
  });
});

describe('long names and more classes', () => {
  it('still keeps every word inside the margins', async () => {
    const extra = [
      { key: 'light_on', zh: '指示灯亮起（红色报警状态）', en: 'Indicator light on (red alarm state)', color: '#ef6c00' },
      { key: 'light_off', zh: '指示灯熄灭（正常待机状态）', en: 'Indicator light off (normal standby state)', color: '#6a1b9a' },
    ];
    const classes = [...s1.classes, ...extra];
    const one = join(dir, 'long1.pdf');
    writeFileSync(one, await renderStage1Report({
      ...s1,
      contestantName: '欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜',
      classes,
      labeling: { ...s1.labeling, boxesPerClass: [...s1.labeling.boxesPerClass, { classKey: 'light_on', count: 40 }, { classKey: 'light_off', count: 41 }] },
      savedPath: `stations/A07/${'very-long-folder-name/'.repeat(8)}dataset`,
    }));
    const two = join(dir, 'long2.pdf');
    writeFileSync(two, await renderStage2Report({
      ...s2,
      dataset: { ...s2.dataset, classes },
      confusion: { classKeys: classes.map((c) => c.key), matrix: Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 120 : i + j))) },
      modelPath: `stations/A07/${'very-long-folder-name/'.repeat(8)}model.onnx`,
    }));
    expect(outside(one)).toEqual([]);
    expect(outside(two)).toEqual([]);
  });
});
