/**
 * Distractors that share the rig with the meters: labels and text, knobs, switches,
 * push buttons, terminal blocks, vents, stickers, barcodes, screws, washers and cables.
 * None of them has a scale, a needle or a seven-segment display.
 */
import type { Rect } from './geometry.js';
import { overlaps } from './geometry.js';
import type { Rng } from './rng.js';
import { FONT, circlePath, esc, grey, hsl, n, roundedRectPath } from './svg.js';

const WORDS = ['电源', '运行', '停止', '故障', 'POWER', 'RUN', 'STOP', 'A相', 'B相', 'C相', '1#泵', 'No.3', '急停', 'QF1', 'KM2', '24V DC', '220V~', '注意安全', 'TEST', '备用'];
const CABLE_COLORS = ['#c01818', '#181818', '#1838b0', '#e0c020', '#2a8a2a', '#8a4a1a', '#d0d0d0', '#e07010'];

type Painter = (rng: Rng, x: number, y: number, s: number) => string;

const label: Painter = (rng, x, y, s) => {
  const text = rng.pick(WORDS);
  const h = s * 0.45;
  const w = Math.max(h * 1.6, h * 0.62 * [...text].length + h * 0.6);
  const fill = rng.pick(['#f4f4f0', '#f0d020', '#d8dde2', '#ffffff', '#2050a0', '#c02020']);
  const ink = fill === '#2050a0' || fill === '#c02020' ? '#fff' : '#111';
  return (
    `<path d="${roundedRectPath(x, y, w, h, h * 0.1)}" fill="${fill}" stroke="#000" stroke-opacity="0.3"/>` +
    `<text x="${n(x)}" y="${n(y + h * 0.2)}" font-family="${FONT}" font-size="${n(h * 0.56)}" fill="${ink}" text-anchor="middle">${esc(text)}</text>`
  );
};

const knob: Painter = (rng, x, y, s) => {
  const r = s * 0.4;
  const ridges: string[] = [];
  for (let i = 0; i < 18; i++) {
    const a = (i / 18) * Math.PI * 2;
    ridges.push(`M${n(x + Math.cos(a) * r * 0.8)} ${n(y + Math.sin(a) * r * 0.8)}L${n(x + Math.cos(a) * r)} ${n(y + Math.sin(a) * r)}`);
  }
  const a = rng.range(0, Math.PI * 2);
  return (
    `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${grey(rng.range(8, 25))}"/>` +
    `<path d="${ridges.join('')}" stroke="#555" stroke-width="${n(r * 0.08)}"/>` +
    `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 0.7)}" fill="${grey(rng.range(15, 35))}"/>` +
    `<path d="M${n(x)} ${n(y)}L${n(x + Math.cos(a) * r * 0.65)} ${n(y + Math.sin(a) * r * 0.65)}" stroke="#eee" stroke-width="${n(r * 0.1)}"/>`
  );
};

const toggle: Painter = (rng, x, y, s) => {
  const w = s * 0.45;
  const up = rng.chance(0.5) ? -1 : 1;
  return (
    `<path d="${roundedRectPath(x, y, w, w * 1.5, w * 0.1)}" fill="${grey(rng.range(10, 30))}"/>` +
    `<circle cx="${n(x)}" cy="${n(y)}" r="${n(w * 0.3)}" fill="#b8b8b8" stroke="#555"/>` +
    `<path d="M${n(x)} ${n(y)}L${n(x + w * 0.1)} ${n(y + up * w * 0.9)}" stroke="#d8d8d8" stroke-width="${n(w * 0.16)}" stroke-linecap="round"/>`
  );
};

const button: Painter = (rng, x, y, s) => {
  const w = s * 0.7;
  const c = rng.pick([hsl(120, 60, 35), hsl(0, 70, 40), '#111', hsl(210, 60, 35), hsl(48, 80, 45)]);
  return (
    `<path d="${roundedRectPath(x, y, w, w, w * 0.08)}" fill="${grey(rng.range(20, 85))}" stroke="#000" stroke-opacity="0.3"/>` +
    `<circle cx="${n(x)}" cy="${n(y)}" r="${n(w * 0.36)}" fill="#444"/>` +
    `<circle cx="${n(x)}" cy="${n(y)}" r="${n(w * 0.3)}" fill="${c}"/>`
  );
};

const terminals: Painter = (rng, x, y, s) => {
  const count = rng.int(4, 10);
  const cw = s * 0.22;
  const h = s * 0.7;
  const color = rng.pick(['#9a9a9a', '#3a60b0', '#d8d8d8', '#6a8a3a']);
  let out = '';
  for (let i = 0; i < count; i++) {
    const cx = x + (i - count / 2) * cw;
    out += `<rect x="${n(cx)}" y="${n(y - h / 2)}" width="${n(cw * 0.92)}" height="${n(h)}" fill="${color}" stroke="#000" stroke-opacity="0.4"/>`;
    out += `<circle cx="${n(cx + cw * 0.46)}" cy="${n(y - h * 0.2)}" r="${n(cw * 0.28)}" fill="#777" stroke="#333"/>`;
  }
  return out;
};

const vent: Painter = (rng, x, y, s) => {
  const w = s * rng.range(0.8, 1.5);
  const h = s * 0.6;
  let slots = '';
  for (let i = 0; i < 6; i++) slots += `M${n(x - w * 0.4)} ${n(y - h * 0.35 + i * h * 0.14)}h${n(w * 0.8)}`;
  return `<path d="${roundedRectPath(x, y, w, h, 4)}" fill="${grey(rng.range(30, 70))}"/><path d="${slots}" stroke="#111" stroke-width="${n(h * 0.07)}" stroke-linecap="round"/>`;
};

const warning: Painter = (rng, x, y, s) => {
  const r = s * 0.4;
  return (
    `<path d="M${n(x)} ${n(y - r)}L${n(x + r * 0.95)} ${n(y + r * 0.7)}L${n(x - r * 0.95)} ${n(y + r * 0.7)}Z" fill="#f2c811" stroke="#111" stroke-width="${n(r * 0.1)}"/>` +
    `<text x="${n(x)}" y="${n(y + r * 0.5)}" font-family="${FONT}" font-weight="bold" font-size="${n(r * 0.9)}" fill="#111" text-anchor="middle">!</text>`
  );
};

const barcode: Painter = (rng, x, y, s) => {
  const w = s * 0.9;
  const h = s * 0.45;
  let bars = '';
  for (let bx = x - w * 0.42; bx < x + w * 0.42; bx += rng.range(1.5, 4)) {
    if (rng.chance(0.55)) bars += `M${n(bx)} ${n(y - h * 0.35)}v${n(h * 0.6)}`;
  }
  return `<rect x="${n(x - w / 2)}" y="${n(y - h / 2)}" width="${n(w)}" height="${n(h)}" fill="#f6f6f6"/><path d="${bars}" stroke="#111" stroke-width="1.2"/>`;
};

const hardware: Painter = (rng, x, y, s) => {
  const r = s * rng.range(0.12, 0.25);
  if (rng.chance(0.5)) {
    return `<path d="${circlePath(x, y, r)}${circlePath(x, y, r * 0.45)}" fill-rule="evenodd" fill="${grey(rng.range(35, 75))}" stroke="#222" stroke-opacity="0.5"/>`;
  }
  return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${grey(rng.range(5, 20))}" stroke="${grey(50)}" stroke-width="${n(r * 0.15)}"/>`;
};

const PAINTERS: readonly Painter[] = [label, label, knob, toggle, button, terminals, vent, warning, barcode, hardware, hardware];

function cable(rng: Rng, width: number, height: number): string {
  const pts = [0, 1, 2, 3].map(() => [rng.range(-0.1, 1.1) * width, rng.range(-0.1, 1.1) * height] as const);
  const [p0, p1, p2, p3] = pts as unknown as [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
  const d = `M${n(p0[0])} ${n(p0[1])}C${n(p1[0])} ${n(p1[1])} ${n(p2[0])} ${n(p2[1])} ${n(p3[0])} ${n(p3[1])}`;
  const w = rng.range(3, 10);
  return (
    `<path d="${d}" fill="none" stroke="#000" stroke-opacity="0.3" stroke-width="${n(w + 2)}" transform="translate(2 3)"/>` +
    `<path d="${d}" fill="none" stroke="${rng.pick(CABLE_COLORS)}" stroke-width="${n(w)}" stroke-linecap="round"/>` +
    `<path d="${d}" fill="none" stroke="#fff" stroke-opacity="0.22" stroke-width="${n(w * 0.3)}" transform="translate(${n(-w * 0.15)} ${n(-w * 0.15)})"/>`
  );
}

/**
 * Paints clutter under the meters. Compact items keep clear of `avoid` (the meter boxes)
 * so box edges stay unambiguous; cables may run beneath meters.
 */
export function paintClutter(rng: Rng, width: number, height: number, avoid: readonly Rect[], difficulty: number): string {
  const parts: string[] = [];
  const cables = rng.int(0, 1 + Math.round(difficulty * 2));
  for (let i = 0; i < cables; i++) parts.push(cable(rng, width, height));
  const count = Math.round(rng.range(2, 4) + difficulty * rng.range(3, 10));
  const short = Math.min(width, height);
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < 8; t++) {
      const s = short * rng.range(0.06, 0.16);
      const x = rng.range(0, width);
      const y = rng.range(0, height);
      // Generous footprint: painters stay within about ±1.2·s of (x, y), terminals a little wider.
      const r = s * 1.3;
      if (avoid.some((b) => overlaps(b, { x1: x - r, y1: y - r, x2: x + r, y2: y + r }, 2))) continue;
      parts.push(rng.pick(PAINTERS)(rng, x, y, s));
      break;
    }
  }
  return parts.join('');
}
