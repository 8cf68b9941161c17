/**
 * Digital panel meter: a plastic housing with an LCD or LED window showing a
 * seven-segment reading (wide 96×48-style or square 96×96-style controller).
 */
import { roundedRectDiscs } from './geometry.js';
import type { MeterArt } from './meter-art.js';
import type { Rng } from './rng.js';
import { randomReading, sevenSegmentText } from './seven-segment.js';
import { FONT, esc, linearGradient, n, roundedRectPath } from './svg.js';

const HOUSINGS: readonly (readonly string[])[] = [
  ['#2a2a2a', '#121212'],
  ['#3c3f44', '#202226'],
  ['#d8d6cf', '#a9a69c'],
  ['#c9ccd0', '#8d9196'],
  ['#1d2a3a', '#0d141c'],
];
const LEDS = ['#ff3a1e', '#ff2a2a', '#3aff5a', '#ffb020', '#40c8ff'] as const;
const UNITS = ['V', 'A', 'Hz', '℃', 'kW', 'mA', 'MPa', 'r/min'] as const;

/** Paints a digital meter with the given id prefix. */
export function paintDigital(rng: Rng, id: string): MeterArt {
  const aspect = rng.pick([2, 2, 1.6, 1, 1, 1.33]);
  const W = 200;
  const H = W / aspect;
  const radius = rng.range(3, 10);
  const housing = rng.pick(HOUSINGS);
  const isLcd = rng.chance(0.4);
  const isSquare = aspect < 1.5;
  const outline = roundedRectPath(0, 0, W, H, radius);
  const parts: string[] = [];
  const defs =
    linearGradient(`${id}-hs`, [housing[0] ?? '#333', housing[1] ?? '#111'], 90) +
    linearGradient(`${id}-win`, isLcd ? ['#c4ceb4', '#a9b597'] : ['#1a0c0c', '#060404'], 90);

  parts.push(`<path d="${outline}" fill="url(#${id}-hs)"/>`);
  const inset = Math.min(W, H) * rng.range(0.05, 0.08);
  parts.push(
    `<path d="${roundedRectPath(0, 0, W - inset, H - inset, radius * 0.7)}" fill="none" stroke="#000" stroke-opacity="0.35" stroke-width="${n(inset * 0.25)}"/>`,
  );

  const light = housing === HOUSINGS[2] || housing === HOUSINGS[3];
  const labelInk = light ? '#222' : '#d8d8d8';
  const winW = W * (isSquare ? 0.78 : 0.8);
  const winH = isSquare ? H * 0.46 : H * 0.62;
  const winX = isSquare ? 0 : -W * 0.04;
  const winY = isSquare ? -H * 0.16 : -H * 0.04;
  parts.push(`<path d="${roundedRectPath(winX, winY, winW + 4, winH + 4, 2)}" fill="#000" fill-opacity="0.6"/>`);
  parts.push(`<path d="${roundedRectPath(winX, winY, winW, winH, 1.5)}" fill="url(#${id}-win)"/>`);

  const on = isLcd ? '#1c2418' : rng.pick(LEDS);
  const ghost = isLcd ? rng.range(0.05, 0.12) : rng.range(0.06, 0.14);
  const cells = isSquare ? rng.int(4, 4) : rng.pick([3, 4, 4, 5]);
  const twoRows = isSquare && rng.chance(0.5);
  const rows = twoRows ? 2 : 1;
  const cellH = Math.min((winH * 0.72) / rows - (rows - 1) * winH * 0.04, ((winW * 0.82) / cells / 1.45) / 0.52);
  const right = winX + winW / 2 - winW * 0.08;
  for (let r = 0; r < rows; r++) {
    const top = winY - (rows * cellH + (rows - 1) * winH * 0.1) / 2 + r * (cellH + winH * 0.1);
    const color = r === 1 && !isLcd ? rng.pick(['#3aff5a', '#ffb020']) : on;
    const text = randomReading(rng, cells);
    parts.push(sevenSegmentText(text, right, top, { height: r === 1 ? cellH * 0.85 : cellH, on: color, ghost }).svg);
  }
  const fsUnit = Math.min(H, W) * 0.09;
  const unit = rng.pick(UNITS);
  if (isSquare) {
    const count = rng.int(3, 4);
    const bw = W * 0.13;
    const by = H * 0.32;
    const names = ['SET', '▲', '▼', '◀'];
    for (let i = 0; i < count; i++) {
      const bx = (i - (count - 1) / 2) * bw * 1.5;
      parts.push(`<path d="${roundedRectPath(bx, by, bw, bw * 0.7, 3)}" fill="${light ? '#8d8f92' : '#4a4d52'}" stroke="#000" stroke-opacity="0.4"/>`);
      parts.push(`<text x="${n(bx)}" y="${n(by + bw * 0.17)}" font-family="${FONT}" font-size="${n(bw * 0.36)}" fill="${labelInk}" text-anchor="middle">${esc(names[i] ?? '')}</text>`);
    }
    parts.push(`<text x="${n(-W * 0.42)}" y="${n(winY - winH / 2 - H * 0.025)}" font-family="${FONT}" font-size="${n(fsUnit * 0.8)}" fill="${labelInk}">${rng.pick(['PV', 'OUT', 'AL1', 'RUN'])}</text>`);
  } else {
    parts.push(`<text x="${n(winX + winW / 2 + W * 0.045)}" y="${n(winY + fsUnit * 0.35)}" font-family="${FONT}" font-size="${n(fsUnit)}" fill="${labelInk}" text-anchor="middle">${esc(unit)}</text>`);
    if (rng.chance(0.6)) {
      parts.push(`<text x="${n(winX)}" y="${n(H / 2 - H * 0.07)}" font-family="${FONT}" font-size="${n(fsUnit * 0.55)}" fill="${labelInk}" fill-opacity="0.8" text-anchor="middle">${rng.pick(['DIGITAL METER', '数显表', 'AC 0-500V', 'DC 0-20mA', 'LED PANEL METER'])}</text>`);
    }
  }
  if (!isLcd) {
    parts.push(`<path d="${roundedRectPath(winX, winY - winH * 0.25, winW * 0.96, winH * 0.4, 2)}" fill="#fff" fill-opacity="${n(rng.range(0.03, 0.08))}"/>`);
  }
  return { defs, body: parts.join(''), outline, hull: roundedRectDiscs(W, H, radius) };
}
