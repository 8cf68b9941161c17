/** Page geometry, type sizes and colours shared by every part of a report. */

/** A4 in PDF points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
/** Body margins; the running header and footer sit inside the top and bottom margins. */
export const MARGIN = { top: 64, bottom: 60, left: 52, right: 52 } as const;
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** Font names registered on every report document. */
export const FONT = { regular: 'cjk', bold: 'cjk-bold' } as const;

export const SIZE = { title: 22, subtitle: 12, h1: 14, h2: 11, body: 9.5, small: 8, tiny: 6.5 } as const;

export const COLOR = {
  text: '#1f2328',
  muted: '#656d76',
  rule: '#d0d7de',
  accent: '#0b5cad',
  headFill: '#eaf1fb',
  zebra: '#f6f8fa',
  good: '#1a7f37',
  warn: '#9a6700',
  bad: '#cf222e',
} as const;
