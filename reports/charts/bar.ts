/** Vertical bar chart (boxes per class, histograms) drawn with pdfkit primitives. */
import { COLOR, FONT, SIZE } from '../pdf/style.js';
import { drawXTitle, drawYAxis, niceTicks, plotArea, type Region } from './axes.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color?: string;
}

/** Bars with their value printed on top; labels under each bar (shortened to fit). */
export function barChart(doc: PDFKit.PDFDocument, r: Region, bars: readonly Bar[], axes: { x: string; y: string }): void {
  const area = plotArea(r);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const y = drawYAxis(doc, area, niceTicks(0, max, 4), axes.y);
  const slot = area.w / Math.max(1, bars.length);
  const bw = Math.min(42, slot * 0.7);
  bars.forEach((b, i) => {
    const cx = area.x + slot * (i + 0.5);
    const top = y(b.value);
    doc.rect(cx - bw / 2, top, bw, area.y + area.h - top).fill(b.color ?? COLOR.accent);
    doc.font(FONT.regular).fontSize(SIZE.tiny).fillColor(COLOR.text);
    if (slot >= 14) doc.text(String(b.value), cx - slot / 2, top - 8, { width: slot, align: 'center', lineBreak: false });
    doc.fillColor(COLOR.muted);
    const every = Math.ceil(22 / slot);
    if (i % every === 0) doc.text(fit(doc, b.label, slot * every - 2), cx - (slot * every) / 2, area.y + area.h + 3, { width: slot * every, align: 'center', lineBreak: false });
  });
  drawXTitle(doc, area, axes.x);
}

/** `text` cut with an ellipsis to `width` points at the current font. */
export function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let t = text;
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
  return `${t}…`;
}
