/** Confusion-matrix heat map: cell shade by count within the row, count printed in each cell. */
import { COLOR, FONT, SIZE } from '../pdf/style.js';
import { fit } from './bar.js';
import type { Region } from './axes.js';

/** `labels` name rows (ground truth) and columns (prediction) alike. */
export function heatmap(doc: PDFKit.PDFDocument, r: Region, labels: readonly string[], matrix: readonly (readonly number[])[], axes: { rows: string; cols: string }): void {
  const n = labels.length;
  const labelW = 78;
  const top = 30;
  const cell = Math.min((r.w - labelW - 14) / n, (r.h - top - 4) / n);
  const gx = r.x + labelW + 14;
  const gy = r.y + top;
  const max = Math.max(1, ...matrix.flat());
  doc.font(FONT.regular).fontSize(SIZE.tiny);
  doc.fillColor(COLOR.muted).text(axes.cols, gx, r.y, { width: cell * n, align: 'center', lineBreak: false });
  for (let i = 0; i < n; i++) {
    const label = labels[i] ?? '';
    doc.fillColor(COLOR.text).text(fit(doc, label, cell - 2), gx + i * cell, gy - 10, { width: cell, align: 'center', lineBreak: false });
    doc.text(fit(doc, label, labelW - 4), r.x + 12, gy + i * cell + cell / 2 - 3.5, { width: labelW - 4, align: 'right', lineBreak: false });
    for (let j = 0; j < n; j++) {
      const v = matrix[i]?.[j] ?? 0;
      const t = v / max;
      const shade = i === j ? mix('#ffffff', '#0b5cad', t) : mix('#ffffff', '#cf222e', Math.min(1, t * 2));
      doc.rect(gx + j * cell, gy + i * cell, cell, cell).fill(shade);
      doc.rect(gx + j * cell, gy + i * cell, cell, cell).lineWidth(0.3).strokeColor('#ffffff').stroke();
      doc.fillColor(t > 0.55 ? '#ffffff' : COLOR.text).fontSize(SIZE.small).text(String(v), gx + j * cell, gy + i * cell + cell / 2 - 4, { width: cell, align: 'center', lineBreak: false });
      doc.fontSize(SIZE.tiny);
    }
  }
  doc.save();
  doc.rotate(-90, { origin: [r.x + 2, gy + (cell * n) / 2] });
  doc.fillColor(COLOR.muted).text(axes.rows, r.x + 2 - (cell * n) / 2, gy + (cell * n) / 2 - 4, { width: cell * n, align: 'center', lineBreak: false });
  doc.restore();
}

/** Linear mix of two `#rrggbb` colours, `t` in [0, 1]. */
export function mix(a: string, b: string, t: number): string {
  const ch = (hex: string, k: number): number => parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
  const out = [0, 1, 2].map((k) => Math.round(ch(a, k) + (ch(b, k) - ch(a, k)) * t));
  return `#${out.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
