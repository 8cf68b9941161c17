/**
 * A report document: pdfkit with the CJK faces, A4 margins, bilingual headings,
 * paragraphs, page-splitting tables and the running header/footer, so the two
 * reports only say what goes where.
 */
import PDFDocument from 'pdfkit';
import type { Bilingual } from '../types.js';
import { cjkFonts } from './fonts.js';
import { COLOR, CONTENT_WIDTH, FONT, MARGIN, PAGE, SIZE } from './style.js';

/** A table column: bilingual header, share of the content width, alignment. */
export interface Column {
  readonly head: Bilingual;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

/** One table cell: text, optionally coloured or bold. */
export type Cell = string | { readonly text: string; readonly color?: string; readonly bold?: boolean };

const PAD = 4;

export class ReportDoc {
  readonly pdf: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;

  constructor(
    private readonly title: Bilingual,
    private readonly station: string,
    private readonly generated: string,
  ) {
    this.pdf = new PDFDocument({
      size: 'A4',
      margins: { ...MARGIN },
      bufferPages: true,
      info: { Title: `${title.zh} · ${title.en}`, Subject: `Station ${station}`, Creator: 'Trainer Copilot' },
    });
    const fonts = cjkFonts();
    this.pdf.registerFont(FONT.regular, fonts.regular as unknown as string);
    this.pdf.registerFont(FONT.bold, fonts.bold as unknown as string);
    this.pdf.font(FONT.regular).fontSize(SIZE.body).fillColor(COLOR.text);
    this.pdf.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.pdf.on('end', () => resolve());
      this.pdf.on('error', reject);
    });
  }

  get y(): number {
    return this.pdf.y;
  }

  set y(v: number) {
    this.pdf.y = v;
  }

  get bottom(): number {
    return PAGE.height - MARGIN.bottom;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.pdf.y + height > this.bottom) this.newPage();
  }

  newPage(): void {
    this.pdf.addPage();
    this.pdf.x = MARGIN.left;
    this.pdf.y = MARGIN.top;
  }

  /** The report's title block on the first page. */
  titleBlock(lines: readonly (readonly [Bilingual, string])[]): void {
    const p = this.pdf;
    p.font(FONT.bold).fontSize(SIZE.title).fillColor(COLOR.text).text(this.title.zh, MARGIN.left, MARGIN.top + 6, { width: CONTENT_WIDTH, align: 'center' });
    p.font(FONT.regular).fontSize(SIZE.subtitle).fillColor(COLOR.muted).text(this.title.en, { width: CONTENT_WIDTH, align: 'center' });
    p.moveDown(0.8);
    this.rule(COLOR.accent, 1.2);
    p.moveDown(0.6);
    this.keyValues(lines);
  }

  /** Numbered section heading: Chinese in bold, English after it in grey. */
  h1(n: number, text: Bilingual): void {
    this.ensure(120);
    const p = this.pdf;
    p.moveDown(0.6);
    const y = p.y;
    const zh = `${n}. ${text.zh}`;
    p.font(FONT.bold).fontSize(SIZE.h1).fillColor(COLOR.accent).text(zh, MARGIN.left, y, { lineBreak: false });
    const after = MARGIN.left + p.widthOfString(zh) + 10;
    p.font(FONT.regular).fontSize(SIZE.h2).fillColor(COLOR.muted).text(text.en, after, y + (SIZE.h1 - SIZE.h2) * 0.85, { lineBreak: false });
    p.x = MARGIN.left;
    p.y = y + SIZE.h1 * 1.5;
    this.rule(COLOR.rule, 0.6);
    p.moveDown(0.5);
    p.font(FONT.regular).fontSize(SIZE.body).fillColor(COLOR.text);
  }

  /** Sub-heading inside a section. */
  h2(text: Bilingual): void {
    this.ensure(50);
    const p = this.pdf;
    p.moveDown(0.3);
    p.font(FONT.bold).fontSize(SIZE.h2).fillColor(COLOR.text).text(text.zh, MARGIN.left, p.y, { continued: true });
    p.font(FONT.regular).fontSize(SIZE.small).fillColor(COLOR.muted).text(`  ${text.en}`);
    p.moveDown(0.3);
    p.font(FONT.regular).fontSize(SIZE.body).fillColor(COLOR.text);
  }

  /** A paragraph in Chinese with its English line under it in grey. */
  bilingual(text: Bilingual, opts: { bullet?: boolean } = {}): void {
    const p = this.pdf;
    const indent = opts.bullet ? 12 : 0;
    const w = CONTENT_WIDTH - indent;
    const h = p.font(FONT.regular).fontSize(SIZE.body).heightOfString(text.zh, { width: w }) + p.fontSize(SIZE.small).heightOfString(text.en, { width: w });
    this.ensure(h + 4);
    const y = p.y;
    if (opts.bullet) p.font(FONT.regular).fontSize(SIZE.body).fillColor(COLOR.accent).text('•', MARGIN.left, y, { lineBreak: false });
    p.font(FONT.regular).fontSize(SIZE.body).fillColor(COLOR.text).text(text.zh, MARGIN.left + indent, y, { width: w });
    p.fontSize(SIZE.small).fillColor(COLOR.muted).text(text.en, MARGIN.left + indent, p.y, { width: w });
    p.moveDown(0.35);
    p.fontSize(SIZE.body).fillColor(COLOR.text);
  }

  /** Label/value pairs in two columns of a light table. */
  keyValues(rows: readonly (readonly [Bilingual, string])[]): void {
    this.table(
      [
        { head: { zh: '项目', en: 'Item' }, width: 0.38 },
        { head: { zh: '内容', en: 'Value' }, width: 0.62 },
      ],
      rows.map(([k, v]) => [{ text: `${k.zh} ${k.en}` }, v]),
      { header: false },
    );
  }

  /**
   * A table whose rows split cleanly across pages: a row never breaks, and the
   * header row is repeated on each new page.
   */
  table(columns: readonly Column[], rows: readonly (readonly Cell[])[], opts: { header?: boolean; fontSize?: number } = {}): void {
    const p = this.pdf;
    const size = opts.fontSize ?? SIZE.small + 0.5;
    const widths = columns.map((c) => c.width * CONTENT_WIDTH);
    const headerRow: Cell[] = columns.map((c) => ({ text: `${c.head.zh}\n${c.head.en}`, bold: true }));
    const measure = (cells: readonly Cell[]): number =>
      Math.max(
        ...cells.map((cell, i) => {
          const c = typeof cell === 'string' ? { text: cell } : cell;
          p.font(c.bold ? FONT.bold : FONT.regular).fontSize(size);
          return p.heightOfString(c.text || ' ', { width: (widths[i] ?? 40) - 2 * PAD });
        }),
      ) + 2 * PAD;
    const draw = (cells: readonly Cell[], fill: string | null, height: number): void => {
      const top = p.y;
      if (fill) p.rect(MARGIN.left, top, CONTENT_WIDTH, height).fill(fill);
      let x = MARGIN.left;
      cells.forEach((cell, i) => {
        const c = typeof cell === 'string' ? { text: cell } : cell;
        const w = widths[i] ?? 40;
        p.font(c.bold ? FONT.bold : FONT.regular).fontSize(size).fillColor(c.color ?? COLOR.text);
        p.text(c.text, x + PAD, top + PAD, { width: w - 2 * PAD, align: columns[i]?.align ?? 'left' });
        x += w;
      });
      p.moveTo(MARGIN.left, top + height).lineTo(MARGIN.left + CONTENT_WIDTH, top + height).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
      p.y = top + height;
    };
    const showHeader = opts.header !== false;
    const headH = showHeader ? measure(headerRow) : 0;
    const header = (): void => {
      if (showHeader) draw(headerRow, COLOR.headFill, headH);
    };
    const firstH = rows[0] ? measure(rows[0]) : 0;
    this.ensure(headH + firstH);
    p.moveTo(MARGIN.left, p.y).lineTo(MARGIN.left + CONTENT_WIDTH, p.y).lineWidth(0.8).strokeColor(COLOR.text).stroke();
    header();
    rows.forEach((row, r) => {
      const h = measure(row);
      if (p.y + h > this.bottom) {
        this.newPage();
        header();
      }
      draw(row, r % 2 === 1 ? COLOR.zebra : null, h);
    });
    p.moveTo(MARGIN.left, p.y).lineTo(MARGIN.left + CONTENT_WIDTH, p.y).lineWidth(0.8).strokeColor(COLOR.text).stroke();
    p.x = MARGIN.left;
    p.moveDown(0.6);
    p.font(FONT.regular).fontSize(SIZE.body).fillColor(COLOR.text);
  }

  /** A caption under a figure or table. */
  caption(text: Bilingual): void {
    const p = this.pdf;
    p.font(FONT.regular).fontSize(SIZE.small).fillColor(COLOR.muted).text(`${text.zh} · ${text.en}`, MARGIN.left, p.y, { width: CONTENT_WIDTH, align: 'center' });
    p.moveDown(0.6);
    p.fontSize(SIZE.body).fillColor(COLOR.text);
  }

  /** Signature lines: contestant, reviewer/judge, date. */
  signatures(): void {
    this.ensure(120);
    const p = this.pdf;
    p.moveDown(1.5);
    const labels: Bilingual[] = [
      { zh: '参赛选手签字', en: 'Contestant' },
      { zh: '审核人 / 裁判签字', en: 'Reviewer / judge' },
      { zh: '日期', en: 'Date' },
    ];
    const gap = 18;
    const w = (CONTENT_WIDTH - 2 * gap) / 3;
    const y = p.y + 36;
    labels.forEach((l, i) => {
      const x = MARGIN.left + i * (w + gap);
      p.moveTo(x, y).lineTo(x + w, y).lineWidth(0.7).strokeColor(COLOR.text).stroke();
      p.font(FONT.regular).fontSize(SIZE.small).fillColor(COLOR.muted).text(`${l.zh} · ${l.en}`, x, y + 4, { width: w, align: 'center' });
    });
    p.y = y + 24;
  }

  rule(color: string, width: number): void {
    const p = this.pdf;
    p.moveTo(MARGIN.left, p.y).lineTo(MARGIN.left + CONTENT_WIDTH, p.y).lineWidth(width).strokeColor(color).stroke();
  }

  /** Draws the running header and footer on every page, ends the document and returns its bytes. */
  async finish(): Promise<Buffer> {
    const p = this.pdf;
    const range = p.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      p.switchToPage(i);
      const saved = p.page.margins.bottom;
      p.page.margins.bottom = 0;
      const top = 30;
      p.font(FONT.regular).fontSize(SIZE.tiny + 0.5).fillColor(COLOR.muted);
      p.text(`工位 Station ${this.station}`, MARGIN.left, top, { width: CONTENT_WIDTH * 0.25, lineBreak: false });
      p.text(`${this.title.zh} · ${this.title.en}`, MARGIN.left + CONTENT_WIDTH * 0.25, top, { width: CONTENT_WIDTH * 0.75, align: 'right', lineBreak: false });
      p.moveTo(MARGIN.left, top + 12).lineTo(MARGIN.left + CONTENT_WIDTH, top + 12).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      const fy = PAGE.height - 40;
      p.moveTo(MARGIN.left, fy - 6).lineTo(MARGIN.left + CONTENT_WIDTH, fy - 6).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      p.text(`生成于 Generated ${this.generated}`, MARGIN.left, fy, { width: CONTENT_WIDTH / 2, lineBreak: false });
      p.text(`第 ${i + 1} / ${range.count} 页 · Page ${i + 1} of ${range.count}`, MARGIN.left + CONTENT_WIDTH / 2, fy, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
      p.page.margins.bottom = saved;
    }
    p.end();
    await this.done;
    return Buffer.concat(this.chunks);
  }
}
