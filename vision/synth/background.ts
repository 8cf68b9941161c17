/**
 * Scene backgrounds: painted or brushed panels, perforated boards, gradients, and
 * rig plates (a mounting plate with screws on a table or wall), plus DIN rails and
 * cable ducts. Nothing here looks like a meter.
 */
import type { Rng } from './rng.js';
import { circlePath, grey, hsl, linearGradient, n, roundedRectPath } from './svg.js';

/** SVG pieces of a background. */
export interface Backdrop {
  defs: string;
  svg: string;
}

type Style = 'painted' | 'brushed' | 'pegboard' | 'gradient' | 'plate';
const STYLES: readonly Style[] = ['painted', 'brushed', 'pegboard', 'gradient', 'plate', 'plate'];

function panelColor(rng: Rng): string {
  const c = rng.pick([
    [0, 0, 78], // light grey cabinet
    [40, 20, 80], // beige
    [210, 12, 55], // blue-grey
    [200, 8, 30], // dark grey
    [28, 60, 45], // orange-ish industrial
    [205, 35, 38], // steel blue
    [100, 10, 62], // greenish grey
    [0, 0, 92], // white
  ] as const);
  return hsl(c[0] + rng.range(-8, 8), c[1] * rng.range(0.7, 1.2), c[2] + rng.range(-8, 8));
}

function screw(x: number, y: number, r: number, angle: number): string {
  const dx = Math.cos(angle) * r * 0.7;
  const dy = Math.sin(angle) * r * 0.7;
  return (
    `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="#a8a8a8" stroke="#444" stroke-width="${n(r * 0.2)}"/>` +
    `<path d="M${n(x - dx)} ${n(y - dy)}L${n(x + dx)} ${n(y + dy)}" stroke="#333" stroke-width="${n(r * 0.3)}"/>`
  );
}

function brushedLines(rng: Rng, x: number, y: number, w: number, h: number): string {
  let d = '';
  let dLight = '';
  const count = Math.round(h / 4);
  for (let i = 0; i < count; i++) {
    const yy = y + rng.range(0, h);
    const seg = `M${n(x)} ${n(yy)}h${n(w)}`;
    if (rng.chance(0.5)) d += seg;
    else dLight += seg;
  }
  return (
    `<path d="${d}" stroke="#000" stroke-opacity="0.07" stroke-width="1"/>` +
    `<path d="${dLight}" stroke="#fff" stroke-opacity="0.1" stroke-width="1"/>`
  );
}

function dinRail(rng: Rng, width: number, y: number): string {
  const h = rng.range(14, 24);
  let slots = '';
  for (let x = rng.range(0, 20); x < width; x += h * 2.2) slots += `M${n(x)} ${n(y + h * 0.5)}h${n(h * 1.1)}`;
  return (
    `<rect x="0" y="${n(y)}" width="${width}" height="${n(h)}" fill="${grey(rng.range(62, 80))}"/>` +
    `<rect x="0" y="${n(y + h * 0.2)}" width="${width}" height="${n(h * 0.6)}" fill="${grey(rng.range(70, 88))}"/>` +
    `<path d="${slots}" stroke="#333" stroke-width="${n(h * 0.18)}" stroke-linecap="round" stroke-opacity="0.8"/>`
  );
}

function duct(rng: Rng, width: number, y: number): string {
  const h = rng.range(26, 46);
  let slots = '';
  const step = rng.range(10, 16);
  for (let x = rng.range(0, step); x < width; x += step) slots += `M${n(x)} ${n(y + 2)}v${n(h * 0.42)}M${n(x)} ${n(y + h - 2)}v${n(-h * 0.42)}`;
  const c = rng.chance(0.7) ? grey(rng.range(55, 72)) : hsl(210, 10, rng.range(78, 90));
  return `<rect x="0" y="${n(y)}" width="${width}" height="${n(h)}" fill="${c}"/><path d="${slots}" stroke="#000" stroke-opacity="0.35" stroke-width="${n(step * 0.35)}"/>`;
}

/** Paints a background covering the whole image. */
export function paintBackdrop(rng: Rng, width: number, height: number): Backdrop {
  const style = rng.pick(STYLES);
  const base = panelColor(rng);
  // Full-frame gradients are costly to rasterise; only the 'gradient' style uses one.
  // Uneven light across the whole photo is added later, as a photo effect.
  const defs = style === 'gradient' ? linearGradient('bg-g', [base, panelColor(rng)], rng.range(0, 180)) : '';
  const fill = style === 'gradient' ? 'url(#bg-g)' : base;
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="${fill}"/>`];

  switch (style) {
    case 'painted':
    case 'gradient':
      break;
    case 'brushed':
      parts.push(brushedLines(rng, 0, 0, width, height));
      break;
    case 'pegboard': {
      // One path of holes: much cheaper for librsvg than a <pattern>.
      const step = rng.range(14, 26);
      const r = step * rng.range(0.12, 0.22);
      let d = '';
      for (let y = step / 2; y < height + r; y += step) for (let x = step / 2; x < width + r; x += step) d += circlePath(x, y, r);
      parts.push(`<path d="${d}" fill="#000" fill-opacity="0.45"/>`);
      break;
    }
    case 'plate': {
      // A mounting plate on a darker table/wall; its edges may be inside the frame.
      parts[0] = `<rect width="${width}" height="${height}" fill="${hsl(rng.range(20, 40), rng.range(5, 35), rng.range(15, 40))}"/>`;
      const mx = rng.range(-0.05, 0.12) * width;
      const my = rng.range(-0.05, 0.12) * height;
      const pw = width - mx - rng.range(-0.05, 0.12) * width;
      const ph = height - my - rng.range(-0.05, 0.12) * height;
      parts.push(`<path d="${roundedRectPath(mx + pw / 2 + 4, my + ph / 2 + 5, pw, ph, 6)}" fill="#000" fill-opacity="0.35"/>`);
      parts.push(`<path d="${roundedRectPath(mx + pw / 2, my + ph / 2, pw, ph, 6)}" fill="${base}"/>`);
      if (rng.chance(0.5)) parts.push(brushedLines(rng, mx, my, pw, ph));
      const sr = rng.range(4, 7);
      for (const [fx, fy] of [[0, 0], [1, 0], [1, 1], [0, 1]] as const) {
        parts.push(screw(mx + 14 + fx * (pw - 28), my + 14 + fy * (ph - 28), sr, rng.range(0, Math.PI)));
      }
      break;
    }
  }
  if (rng.chance(0.35)) parts.push(dinRail(rng, width, rng.range(0, height * 0.9)));
  if (rng.chance(0.3)) parts.push(duct(rng, width, rng.chance(0.5) ? rng.range(-10, 30) : height - rng.range(20, 50)));
  if (rng.chance(0.3)) {
    // Mounting holes / rivets in a row.
    const y = rng.range(10, height - 10);
    const r = rng.range(2.5, 5);
    let d = '';
    for (let x = rng.range(5, 30); x < width; x += rng.range(40, 90)) d += circlePath(x, y, r);
    parts.push(`<path d="${d}" fill="#1a1a1a" fill-opacity="0.7"/>`);
  }
  return { defs, svg: parts.join('') };
}
