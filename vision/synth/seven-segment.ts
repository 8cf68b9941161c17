/**
 * Seven-segment digits as SVG paths (for the digital meter's LCD/LED panel).
 */
import type { Rng } from './rng.js';
import { n } from './svg.js';

const SEGMENTS: Readonly<Record<string, string>> = {
  '0': 'abcdef',
  '1': 'bc',
  '2': 'abdeg',
  '3': 'abcdg',
  '4': 'bcfg',
  '5': 'acdfg',
  '6': 'acdefg',
  '7': 'abc',
  '8': 'abcdefg',
  '9': 'abcdfg',
  '-': 'g',
  ' ': '',
};

/** Hexagonal segment from (x1,y1) to (x2,y2) with thickness t and pointed ends. */
function segment(x1: number, y1: number, x2: number, y2: number, t: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1);
  const ux = (x2 - x1) / len;
  const uy = (y2 - y1) / len;
  const h = t / 2;
  const px = -uy * h;
  const py = ux * h;
  const ax = x1 + ux * h;
  const ay = y1 + uy * h;
  const bx = x2 - ux * h;
  const by = y2 - uy * h;
  return (
    `M${n(x1)} ${n(y1)}L${n(ax + px)} ${n(ay + py)}L${n(bx + px)} ${n(by + py)}` +
    `L${n(x2)} ${n(y2)}L${n(bx - px)} ${n(by - py)}L${n(ax - px)} ${n(ay - py)}Z`
  );
}

function segmentsOf(x: number, y: number, w: number, h: number, t: number, which: string): string {
  const g = t * 0.35;
  const m = y + h / 2;
  const lines: Record<string, [number, number, number, number]> = {
    a: [x + g, y, x + w - g, y],
    b: [x + w, y + g, x + w, m - g],
    c: [x + w, m + g, x + w, y + h - g],
    d: [x + g, y + h, x + w - g, y + h],
    e: [x, m + g, x, y + h - g],
    f: [x, y + g, x, m - g],
    g: [x + g, m, x + w - g, m],
  };
  let d = '';
  for (const s of which) {
    const l = lines[s];
    if (l) d += segment(l[0], l[1], l[2], l[3], t);
  }
  return d;
}

/** A plausible meter reading: 3–5 digit cells, optional sign and decimal point. */
export function randomReading(rng: Rng, cells: number): string {
  const dot = rng.chance(0.75) ? rng.int(1, cells - 1) : cells;
  let digits = '';
  for (let i = 0; i < cells; i++) digits += String(rng.int(0, 9));
  let text = dot < cells ? `${digits.slice(0, dot)}.${digits.slice(dot)}` : digits;
  // Blank leading zeros of the integer part, keeping the one before the point.
  const intPart = text.split('.')[0] ?? '';
  const keep = Math.max(1, intPart.replace(/^0+/, '').length);
  text = ' '.repeat(intPart.length - keep) + text.slice(intPart.length - keep);
  if (text.startsWith(' ') && rng.chance(0.15)) text = `-${text.slice(1)}`;
  return text;
}

/** Options for {@link sevenSegmentText}. */
export interface SegmentStyle {
  /** Cell height; width is about 0.55 of it. */
  height: number;
  /** Colour of lit segments. */
  on: string;
  /** Opacity of the unlit "ghost" segments (0 hides them). */
  ghost: number;
}

/**
 * Paints `text` (digits, '-', ' ', '.') right-aligned so it ends at x = `right`,
 * with cell tops at `top`. Returns the SVG and the total width used.
 */
export function sevenSegmentText(text: string, right: number, top: number, style: SegmentStyle): { svg: string; width: number } {
  const cells = [...text].filter((c) => c !== '.');
  const w = style.height * 0.52;
  const t = style.height * 0.11;
  const pitch = w * 1.45;
  const width = cells.length * pitch;
  let x = right - width + (pitch - w) / 2;
  let lit = '';
  let ghost = '';
  const dots: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? ' ';
    if (c === '.') continue;
    lit += segmentsOf(x, top, w, style.height, t, SEGMENTS[c] ?? '');
    ghost += segmentsOf(x, top, w, style.height, t, 'abcdefg');
    if (chars[i + 1] === '.') dots.push(`<rect x="${n(x + w + t * 0.5)}" y="${n(top + style.height - t * 0.55)}" width="${n(t * 1.1)}" height="${n(t * 1.1)}"/>`);
    x += pitch;
  }
  const ghostSvg = style.ghost > 0 ? `<path d="${ghost}" fill="${style.on}" fill-opacity="${n(style.ghost)}"/>` : '';
  return { svg: `${ghostSvg}<path d="${lit}" fill="${style.on}"/><g fill="${style.on}">${dots.join('')}</g>`, width };
}
