/** Axes for the vector charts: a "nice" tick scale and the frame with its labels. */
import { COLOR, FONT, SIZE } from '../pdf/style.js';

/** Where a chart is drawn, in PDF points. */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Ticks from 0 (or `min`) to a round maximum at or above `max`, at most `count + 1` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw);
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 0.999; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks.length >= 2 ? ticks : [start, start + step];
}

/** Short tick text: integers as is, fractions with up to 2 decimals. */
export function tickText(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 2 : 1);
}

/** The plot area inside `r` after room for the y labels and x labels. */
export function plotArea(r: Region): Region {
  const left = 34;
  const bottom = 30;
  return { x: r.x + left, y: r.y + 6, w: r.w - left - 8, h: r.h - bottom - 6 };
}

/** Y grid lines with tick labels, the axis frame, and the axis titles. */
export function drawYAxis(doc: PDFKit.PDFDocument, area: Region, ticks: readonly number[], title: string): (v: number) => number {
  const lo = ticks[0] ?? 0;
  const hi = ticks[ticks.length - 1] ?? 1;
  const y = (v: number): number => area.y + area.h - ((v - lo) / (hi - lo || 1)) * area.h;
  doc.font(FONT.regular).fontSize(SIZE.tiny).fillColor(COLOR.muted);
  for (const t of ticks) {
    const ty = y(t);
    doc.moveTo(area.x, ty).lineTo(area.x + area.w, ty).lineWidth(0.3).strokeColor('#e6e9ed').stroke();
    doc.text(tickText(t), area.x - 30, ty - 3.5, { width: 27, align: 'right', lineBreak: false });
  }
  doc.moveTo(area.x, area.y).lineTo(area.x, area.y + area.h).lineTo(area.x + area.w, area.y + area.h).lineWidth(0.6).strokeColor(COLOR.muted).stroke();
  doc.save();
  // Rotated about its right end, the title occupies the 9 pt left of `ox`: inside the region.
  const ox = area.x - 24;
  const oy = area.y + area.h / 2;
  doc.rotate(-90, { origin: [ox, oy] });
  doc.text(title, ox - area.h / 2, oy - 9, { width: area.h, align: 'center', lineBreak: false });
  doc.restore();
  return y;
}

/** The x-axis title centred under the plot. */
export function drawXTitle(doc: PDFKit.PDFDocument, area: Region, title: string): void {
  doc.font(FONT.regular).fontSize(SIZE.tiny).fillColor(COLOR.muted).text(title, area.x, area.y + area.h + 17, { width: area.w, align: 'center', lineBreak: false });
}
