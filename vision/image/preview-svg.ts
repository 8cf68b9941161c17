/**
 * The SVG overlay of a preview: box outlines with number tags, and a legend strip.
 * Pure string building (no sharp), so layout can be tested without rendering.
 * Text sizes are estimated, not measured: CJK glyphs ≈ 1 em, Latin ≈ 0.6 em.
 */

/** A box to draw, in pixels of the source image (see `renderPreview`'s `sourceSize`). */
export interface PreviewBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** Short tag drawn at the box's top-left corner, e.g. `'1'`. */
  readonly label: string;
  /** Any CSS colour; `#rgb`/`#rrggbb` also pick a readable tag text colour. */
  readonly color: string;
}

/** One legend entry: a colour swatch and its text (may be Chinese). */
export interface LegendEntry {
  readonly color: string;
  readonly text: string;
}

/** Font stack for all preview text; Noto Sans CJK covers Chinese. */
export const PREVIEW_FONT = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif";
const LEGEND_BACKGROUND = '#1f1f1f';

/** Escapes text for an SVG text node or attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Estimated advance width of `text` in ems. */
export function textWidthEm(text: string): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += code >= 0x2e80 ? 1 : ch === ' ' ? 0.3 : /[A-Z0-9]/.test(ch) ? 0.64 : 0.56;
  }
  return em;
}

/** `'#000'` or `'#fff'`, whichever reads better on `color`; undefined if not hex. */
function textColourOn(color: string): string | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return undefined;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 0.6 ? '#000' : '#fff';
}

/**
 * Sizes derived from the preview's size, so a 640 px and a 1280 px preview look alike.
 * Chosen for a phone, where a 1280 px preview shows about 400 px wide.
 */
export function previewMetrics(width: number, height: number) {
  const long = Math.max(width, height);
  const legendFont = Math.max(14, Math.round(width / 40));
  return {
    /** Box outline width, px. */
    stroke: Math.max(2, Math.round(long / 256)),
    /** Tag font size, px. */
    tagFont: Math.max(12, Math.round(long / 32)),
    legendFont,
    legendLine: Math.round(legendFont * 1.6),
    legendPad: Math.round(legendFont * 0.6),
  };
}

interface LegendItem {
  readonly x: number;
  readonly row: number;
  readonly color: string;
  readonly text: string;
}

/** Places legend entries left to right, wrapping rows; text too wide for a row is cut with '…'. */
export function layoutLegend(entries: readonly LegendEntry[], width: number, font: number, pad: number) {
  const swatch = Math.round(font * 0.9);
  const gap = Math.round(font * 0.4);
  const itemGap = font;
  const maxTextPx = width - 2 * pad - swatch - gap;
  const items: LegendItem[] = [];
  let x = pad;
  let row = 0;
  for (const entry of entries) {
    let text = entry.text;
    while (text.length > 1 && textWidthEm(text) * font > maxTextPx) text = `${[...text].slice(0, -2).join('')}…`;
    const w = swatch + gap + textWidthEm(text) * font;
    if (x > pad && x + w > width - pad) {
      row++;
      x = pad;
    }
    items.push({ x, row, color: entry.color, text });
    x += w + itemGap;
  }
  const rows = items.length === 0 ? 0 : row + 1;
  return { items, rows, swatch, gap };
}

/** Height in px of the legend strip for these entries (0 without entries). */
export function legendHeight(entries: readonly LegendEntry[], width: number, height: number): number {
  if (entries.length === 0) return 0;
  const m = previewMetrics(width, height);
  const { rows } = layoutLegend(entries, width, m.legendFont, m.legendPad);
  return rows * m.legendLine + 2 * m.legendPad - (m.legendLine - m.legendFont);
}

/**
 * The overlay for a `width`×`height` preview plus `legend` strip below it. Box
 * coordinates are already in preview pixels; boxes are clamped to the image.
 */
export function overlaySvg(
  width: number,
  height: number,
  boxes: readonly PreviewBox[],
  legend: readonly LegendEntry[],
): string {
  const m = previewMetrics(width, height);
  const strip = legendHeight(legend, width, height);
  const parts: string[] = [];
  const tags: string[] = [];
  const pad = Math.round(m.tagFont * 0.3);
  const tagH = Math.round(m.tagFont * 1.25);
  for (const box of boxes) {
    const x1 = Math.max(0, Math.min(box.x1, box.x2, width));
    const y1 = Math.max(0, Math.min(box.y1, box.y2, height));
    const x2 = Math.min(width, Math.max(box.x1, box.x2, 0));
    const y2 = Math.min(height, Math.max(box.y1, box.y2, 0));
    if (x2 - x1 < 1 || y2 - y1 < 1) continue;
    const color = escapeXml(box.color);
    const rect = `x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${(x2 - x1).toFixed(1)}" height="${(y2 - y1).toFixed(1)}"`;
    parts.push(`<rect ${rect} fill="none" stroke="#000" stroke-opacity="0.55" stroke-width="${m.stroke + 2}"/>`);
    parts.push(`<rect ${rect} fill="none" stroke="${color}" stroke-width="${m.stroke}"/>`);
    if (box.label === '') continue;
    const tagW = Math.round(textWidthEm(box.label) * m.tagFont + 2 * pad);
    const tx = Math.max(0, Math.min(x1 - m.stroke / 2, width - tagW));
    const ty = y1 - tagH >= 0 ? y1 - tagH : Math.min(y1, height - tagH);
    const ink = textColourOn(box.color);
    const textStyle = ink ? `fill="${ink}"` : `fill="#fff" stroke="#000" stroke-width="${Math.max(1, m.tagFont / 10).toFixed(1)}" paint-order="stroke"`;
    tags.push(
      `<rect x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" width="${tagW}" height="${tagH}" rx="${Math.round(tagH / 6)}" fill="${color}" stroke="#000" stroke-opacity="0.55" stroke-width="1"/>`,
      `<text x="${(tx + tagW / 2).toFixed(1)}" y="${(ty + tagH / 2 + m.tagFont * 0.36).toFixed(1)}" text-anchor="middle" font-size="${m.tagFont}" font-weight="bold" ${textStyle}>${escapeXml(box.label)}</text>`,
    );
  }
  if (strip > 0) {
    const { items, swatch, gap } = layoutLegend(legend, width, m.legendFont, m.legendPad);
    parts.push(`<rect x="0" y="${height}" width="${width}" height="${strip}" fill="${LEGEND_BACKGROUND}"/>`);
    for (const item of items) {
      const rowTop = height + m.legendPad + item.row * m.legendLine;
      const sy = rowTop + (m.legendFont - swatch) / 2;
      parts.push(
        `<rect x="${item.x}" y="${sy.toFixed(1)}" width="${swatch}" height="${swatch}" rx="${Math.round(swatch / 5)}" fill="${escapeXml(item.color)}" stroke="#fff" stroke-opacity="0.6" stroke-width="1"/>`,
        `<text x="${item.x + swatch + gap}" y="${(rowTop + m.legendFont * 0.86).toFixed(1)}" font-size="${m.legendFont}" fill="#fff">${escapeXml(item.text)}</text>`,
      );
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + strip}" ` +
    `viewBox="0 0 ${width} ${height + strip}" font-family="${escapeXml(PREVIEW_FONT)}">` +
    parts.join('') +
    tags.join('') +
    '</svg>'
  );
}
