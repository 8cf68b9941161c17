/**
 * Photo grids: thumbnails with their boxes drawn over them in class colours,
 * laid out in rows that never split across a page.
 */
import type { ReportClass, ReportPhoto, ReportPrediction } from '../types.js';
import type { ReportDoc } from './doc.js';
import { COLOR, CONTENT_WIDTH, FONT, MARGIN, SIZE } from './style.js';

export interface GridCell {
  readonly photo: ReportPhoto;
  /** Predictions drawn solid with their score; the photo's own boxes are then dashed (ground truth). */
  readonly predictions?: readonly ReportPrediction[];
  /** Second caption line (e.g. verdict counts). */
  readonly note?: string;
}

/** Room a grid's heading, legend and first row of 4:3 thumbnails need, so they start on one page. */
export const GRID_LEAD = 200;

/** A legend line: one swatch per class. */
export function classLegend(doc: ReportDoc, classes: readonly ReportClass[], extra?: string): void {
  const p = doc.pdf;
  doc.ensure(16);
  let x = MARGIN.left;
  let y = p.y;
  p.font(FONT.regular).fontSize(SIZE.small);
  for (const c of classes) {
    const label = `${c.zh} ${c.en}`;
    if (x > MARGIN.left && x + 12 + p.widthOfString(label) > MARGIN.left + CONTENT_WIDTH) {
      x = MARGIN.left;
      y += 12;
    }
    p.rect(x, y + 1.5, 9, 7).fill(c.color);
    p.fillColor(COLOR.text).text(label, x + 12, y, { lineBreak: false });
    x += 12 + p.widthOfString(label) + 14;
  }
  p.x = MARGIN.left;
  p.y = y + 14;
  if (extra) {
    p.fillColor(COLOR.muted).text(extra, MARGIN.left, p.y, { width: CONTENT_WIDTH });
    p.y += 4;
  }
}

/** Draws `cells` `cols` to a row; each image is scaled to the cell width. */
export function photoGrid(doc: ReportDoc, cells: readonly GridCell[], classes: readonly ReportClass[], cols = 4): void {
  const p = doc.pdf;
  const gap = 8;
  const w = (CONTENT_WIDTH - gap * (cols - 1)) / cols;
  const color = new Map(classes.map((c) => [c.key, c.color]));
  for (let start = 0; start < cells.length; start += cols) {
    const row = cells.slice(start, start + cols);
    const imgH = Math.max(...row.map((c) => (w * c.photo.height) / Math.max(1, c.photo.width)));
    const rowH = imgH + 26;
    doc.ensure(rowH);
    const top = p.y;
    row.forEach((cell, i) => {
      const x = MARGIN.left + i * (w + gap);
      const s = w / Math.max(1, cell.photo.width);
      const h = cell.photo.height * s;
      p.image(Buffer.from(cell.photo.jpeg), x, top, { width: w, height: h });
      p.save();
      p.rect(x, top, w, h).clip();
      const dashed = cell.predictions !== undefined;
      for (const b of cell.photo.boxes) {
        p.rect(x + b.x1 * s, top + b.y1 * s, (b.x2 - b.x1) * s, (b.y2 - b.y1) * s).lineWidth(dashed ? 1 : 1.4);
        if (dashed) p.dash(2.5, { space: 1.5 });
        p.strokeColor(dashed ? '#ffffff' : (color.get(b.classKey) ?? COLOR.accent)).stroke();
        p.undash();
        if (b.verdict && b.verdict !== 'qualified') failedTag(p, x + b.x1 * s, top + b.y1 * s, (b.x2 - b.x1) * s, (b.y2 - b.y1) * s, b.verdict);
      }
      for (const d of cell.predictions ?? []) {
        const c = color.get(d.classKey) ?? COLOR.bad;
        p.rect(x + d.x1 * s, top + d.y1 * s, (d.x2 - d.x1) * s, (d.y2 - d.y1) * s).lineWidth(1.3).strokeColor(c).stroke();
        const tag = d.score.toFixed(2);
        p.font(FONT.regular).fontSize(5.5);
        const tw = p.widthOfString(tag) + 3;
        const ty = Math.max(top, top + d.y1 * s - 7);
        p.rect(x + d.x1 * s, ty, tw, 7).fill(c);
        p.fillColor('#ffffff').text(tag, x + d.x1 * s + 1.5, ty + 0.5, { lineBreak: false });
      }
      p.restore();
      p.rect(x, top, w, h).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
      p.font(FONT.regular).fontSize(SIZE.tiny).fillColor(COLOR.text).text(cell.photo.name, x, top + h + 3, { width: w, align: 'center', lineBreak: false, ellipsis: true });
      if (cell.note) p.fillColor(COLOR.muted).text(cell.note, x, top + h + 11, { width: w, align: 'center', lineBreak: false, ellipsis: true });
    });
    p.x = MARGIN.left;
    p.y = top + rowH;
  }
  p.moveDown(0.3);
}

/** A failed box: a red frame just outside it and a tag naming the verdict. */
function failedTag(p: PDFKit.PDFDocument, x: number, y: number, w: number, h: number, verdict: 'loose' | 'wrong-label'): void {
  p.rect(x - 2, y - 2, w + 4, h + 4).lineWidth(1).dash(3, { space: 2 }).strokeColor(COLOR.bad).stroke();
  p.undash();
  const tag = verdict === 'loose' ? '不贴合 loose' : '错标 wrong label';
  p.font(FONT.regular).fontSize(5.5);
  const tw = p.widthOfString(tag) + 4;
  p.rect(x - 2, y + h + 2, tw, 8).fill(COLOR.bad);
  p.fillColor('#ffffff').text(tag, x, y + h + 3, { lineBreak: false });
}
