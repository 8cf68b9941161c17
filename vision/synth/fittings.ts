/**
 * Stems, fittings and pipes under pointer gauges: what a real gauge on pipework has and
 * what its box must NOT include (the box is the round case and bezel only). Drawn in the
 * meter's own frame (centred on the origin, case radius `r`), beneath the meter, so the
 * label box stays the meter's hull.
 */
import type { Disc } from './geometry.js';
import type { Rng } from './rng.js';
import { linearGradient, n } from './svg.js';

const METALS: readonly (readonly string[])[] = [
  ['#7a5a1c', '#e0c068', '#b08a34', '#6a4c14'], // brass
  ['#5c6166', '#d8dde2', '#9aa0a6', '#4a4e52'], // steel
  ['#6e6e6e', '#f2f2f2', '#b4b4b4', '#5a5a5a'], // chrome
];
const PIPES: readonly (readonly string[])[] = [
  ['#3a3d40', '#8c9399', '#5a5f63'],
  ['#6b1e14', '#c0503c', '#80291c'],
  ['#23415f', '#5e88b0', '#2e5378'],
  ['#5c6166', '#d8dde2', '#9aa0a6'],
];

/** Outer radius of a meter's hull around its origin. */
export function hullRadius(hull: readonly Disc[]): number {
  return Math.max(...hull.map((d) => Math.hypot(d.x, d.y) + d.r));
}

/** The SVG (defs, body) of a bottom stem with a hex fitting and a pipe, in the meter frame. */
export function paintFitting(rng: Rng, id: string, r: number): { defs: string; body: string } {
  const metal = rng.pick(METALS);
  const pipe = rng.pick(PIPES);
  const defs = linearGradient(`${id}-st`, metal, 0) + linearGradient(`${id}-pp`, pipe, 0);
  const stemW = r * rng.range(0.16, 0.28);
  const stemTop = r * 0.85;
  const stemLen = r * rng.range(0.2, 0.5);
  const hexW = stemW * rng.range(1.8, 2.6);
  const hexH = r * rng.range(0.18, 0.3);
  const hexTop = stemTop + stemLen;
  const parts: string[] = [];
  // threaded stem with a few thread lines
  parts.push(`<rect x="${n(-stemW / 2)}" y="${n(stemTop)}" width="${n(stemW)}" height="${n(stemLen + 1)}" fill="url(#${id}-st)"/>`);
  for (let k = 1; k < 4; k++) {
    const y = stemTop + (stemLen * k) / 4;
    parts.push(`<line x1="${n(-stemW / 2)}" y1="${n(y)}" x2="${n(stemW / 2)}" y2="${n(y + stemLen * 0.06)}" stroke="#000" stroke-opacity="0.25" stroke-width="${n(r * 0.015)}"/>`);
  }
  // hex nut seen from the side: a wide block with two vertical edges
  parts.push(`<rect x="${n(-hexW / 2)}" y="${n(hexTop)}" width="${n(hexW)}" height="${n(hexH)}" rx="${n(hexH * 0.08)}" fill="url(#${id}-st)"/>`);
  for (const f of [-1 / 6, 1 / 6]) {
    parts.push(`<line x1="${n(hexW * f)}" y1="${n(hexTop)}" x2="${n(hexW * f)}" y2="${n(hexTop + hexH)}" stroke="#000" stroke-opacity="0.3" stroke-width="${n(r * 0.012)}"/>`);
  }
  const pipeW = stemW * rng.range(1.1, 1.8);
  const pipeTop = hexTop + hexH;
  const down = r * rng.range(0.3, 2.5);
  parts.push(`<rect x="${n(-pipeW / 2)}" y="${n(pipeTop - 1)}" width="${n(pipeW)}" height="${n(down + 1)}" fill="url(#${id}-pp)"/>`);
  if (rng.chance(0.5)) {
    // an elbow or tee: the pipe turns sideways (to one or both sides)
    const len = r * rng.range(1, 4);
    const side = rng.pick([-1, 1, 0]);
    const x0 = side === 1 ? -pipeW / 2 : side === -1 ? -len : -len;
    const w = side === 0 ? 2 * len : len + pipeW / 2;
    parts.push(`<rect x="${n(x0)}" y="${n(pipeTop + down - pipeW)}" width="${n(w)}" height="${n(pipeW)}" fill="url(#${id}-pp)"/>`);
    parts.push(`<rect x="${n(-pipeW * 0.75)}" y="${n(pipeTop + down - pipeW * 1.15)}" width="${n(pipeW * 1.5)}" height="${n(pipeW * 1.3)}" rx="${n(pipeW * 0.2)}" fill="url(#${id}-st)"/>`);
  }
  return { defs, body: parts.join('') };
}
