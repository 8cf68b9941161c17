/** Line charts (loss and mAP over epochs, PR curves) with a legend. */
import { COLOR, FONT, SIZE } from '../pdf/style.js';
import { drawXTitle, drawYAxis, niceTicks, plotArea, tickText, type Region } from './axes.js';

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Draw the points as translucent dots only (a scatter plot). */
  readonly dots?: boolean;
}

/** Axis ranges; omitted ends are taken from the data. */
export interface LineAxes {
  readonly x: string;
  readonly y: string;
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
}

export function lineChart(doc: PDFKit.PDFDocument, r: Region, series: readonly Series[], axes: LineAxes): void {
  const area = plotArea(r);
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1] = axes.xRange ?? [Math.min(...xs, 0), Math.max(...xs, 1)];
  const yTicks = axes.yRange ? niceTicks(axes.yRange[0], axes.yRange[1], 5) : niceTicks(0, Math.max(...ys, 1e-9), 5);
  const y = drawYAxis(doc, area, yTicks, axes.y);
  const x = (v: number): number => area.x + ((v - x0) / (x1 - x0 || 1)) * area.w;
  doc.font(FONT.regular).fontSize(SIZE.tiny).fillColor(COLOR.muted);
  for (const t of niceTicks(x0, x1, 6).filter((t) => t >= x0 && t <= x1)) {
    doc.text(tickText(t), x(t) - 15, area.y + area.h + 4, { width: 30, align: 'center', lineBreak: false });
  }
  drawXTitle(doc, area, axes.x);
  doc.save();
  doc.rect(area.x, area.y, area.w, area.h).clip();
  for (const s of series) {
    if (s.dots) {
      for (const p of s.points) doc.circle(x(p.x), y(p.y), 1.1).fillOpacity(0.45).fill(s.color);
      doc.fillOpacity(1);
      continue;
    }
    s.points.forEach((p, i) => (i === 0 ? doc.moveTo(x(p.x), y(p.y)) : doc.lineTo(x(p.x), y(p.y))));
    if (s.points.length > 0) doc.lineWidth(1.2).lineJoin('round').strokeColor(s.color).stroke();
    if (s.points.length <= 40) for (const p of s.points) doc.circle(x(p.x), y(p.y), 1.3).fill(s.color);
  }
  doc.restore();
  legend(doc, area, series);
}

/** Legend in the top-right corner of the plot, on a white box. */
function legend(doc: PDFKit.PDFDocument, area: Region, series: readonly Series[]): void {
  if (series.length < 2) return;
  doc.font(FONT.regular).fontSize(SIZE.tiny);
  const w = Math.max(...series.map((s) => doc.widthOfString(s.name))) + 22;
  const h = series.length * 9 + 4;
  const lx = area.x + area.w - w - 4;
  const ly = area.y + area.h - h - 4;
  doc.rect(lx, ly, w, h).fillOpacity(0.9).fill('#ffffff').fillOpacity(1);
  doc.rect(lx, ly, w, h).lineWidth(0.3).strokeColor(COLOR.rule).stroke();
  series.forEach((s, i) => {
    const sy = ly + 6.5 + i * 9;
    doc.moveTo(lx + 4, sy).lineTo(lx + 14, sy).lineWidth(1.5).strokeColor(s.color).stroke();
    doc.fillColor(COLOR.text).text(s.name, lx + 17, sy - 4, { lineBreak: false });
  });
}
