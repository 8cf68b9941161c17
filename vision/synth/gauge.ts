/**
 * Round pointer gauge. `gauge-normal` and `gauge-abnormal` are the same meter with the
 * same style draws; only the needle value differs (inside the green zone versus inside
 * a red zone), so the state is visible only through the needle.
 */
import type { Disc } from './geometry.js';
import { roundedRectDiscs } from './geometry.js';
import type { MeterArt } from './meter-art.js';
import type { Rng } from './rng.js';
import { FONT, FONT_COND, annulusSector, circlePath, esc, grey, linearGradient, n, polar, radialGradient, roundedRectPath } from './svg.js';

/** Where the needle points. */
export type GaugeState = 'normal' | 'abnormal';

/** Coloured bands of the dial as fractions 0..1 of the scale. */
export interface GaugeZones {
  /** End of an optional red band at the bottom of the scale. */
  lowRed: number | undefined;
  /** The normal zone. */
  green: readonly [number, number];
  /** Optional caution band between green and red. */
  yellow: readonly [number, number] | undefined;
  /** Start of the red band that runs to the end of the scale. */
  red: number;
}

const BEZELS: readonly (readonly string[])[] = [
  ['#f4f4f4', '#8a8a8a', '#e8e8e8', '#6a6a6a'],
  ['#3a3a3a', '#111111', '#2c2c2c'],
  ['#5a5f66', '#2a2e33', '#4a4f55'],
  ['#e6cf8a', '#8a6a2a', '#d8b870'],
  ['#d8d8d8', '#9a9a9a', '#c8c8c8'],
];
const MAXIMA = [1, 1.6, 2.5, 4, 6, 10, 16, 25, 40, 60, 100, 150, 250, 400] as const;
const UNITS = ['MPa', 'kPa', 'bar', 'V', 'A', '℃', '%', 'kV', 'mA'] as const;
const CAPTIONS = ['', '', '压力表', '1.6', '2.5', 'Y-100', '真空表', 'CLASS 1.5', '电流表', '电压表'] as const;

/** Draws the dial's bands; the upper red band starts at 0.84 at the latest, so it spans at least 0.16 of the scale. */
export function drawZones(rng: Rng): GaugeZones {
  const lowRed = rng.chance(0.3) ? rng.range(0.08, 0.14) : undefined;
  const g1 = lowRed === undefined ? rng.range(0.06, 0.3) : lowRed + rng.range(0.04, 0.1);
  const g2 = rng.range(Math.max(g1 + 0.3, 0.5), 0.7);
  const hasYellow = rng.chance(0.5);
  const r1 = Math.min(0.84, g2 + (hasYellow ? rng.range(0.08, 0.14) : rng.range(0.0, 0.06)));
  return { lowRed, green: [g1, g2], yellow: hasYellow ? [g2, r1] : undefined, red: r1 };
}

/** Needle position 0..1: well inside green for `normal`, inside a red band for `abnormal`. */
export function needleValue(rng: Rng, z: GaugeZones, state: GaugeState): number {
  if (state === 'normal') {
    const pad = (z.green[1] - z.green[0]) * 0.12;
    return rng.range(z.green[0] + pad, z.green[1] - pad);
  }
  if (z.lowRed !== undefined && rng.chance(0.25)) return rng.range(0.01, z.lowRed - 0.02);
  return rng.range(z.red + Math.min(0.05, (1 - z.red) * 0.25), 1.0);
}

function formatTick(v: number): string {
  if (v === 0) return '0';
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1).replace(/0$/, '');
}

/** Paints a gauge with the given id prefix; `state` picks the needle zone. */
export function paintGauge(rng: Rng, id: string, state: GaugeState): MeterArt {
  // Style draws come first and do not depend on `state`: both classes share the same distribution.
  const isFlanged = rng.chance(0.3);
  const bezel = rng.pick(BEZELS);
  const isDarkFace = rng.chance(0.12);
  const face = isDarkFace ? grey(rng.range(6, 14)) : rng.pick(['#f6f6f2', '#f0ead6', '#e9ecef', '#fbfbfb', '#efefe6']);
  const ink = isDarkFace ? '#f2f2f2' : '#161616';
  const sweep = rng.pick([270, 270, 240, 240, 250]);
  const majors = rng.pick([4, 5, 5, 6, 8, 10]);
  const minors = rng.pick([2, 4, 5]);
  const max = rng.pick(MAXIMA);
  const unit = rng.pick(UNITS);
  const caption = rng.pick(CAPTIONS);
  const hasNumbers = rng.chance(0.9);
  const needleColor = rng.chance(0.75) ? '#101010' : rng.pick(['#b01818', '#1a2a6a']);
  const zones = drawZones(rng);
  const glare = rng.range(0.08, 0.3);
  const outerR = isFlanged ? 90 : 100;
  const faceR = outerR * rng.range(0.82, 0.88);
  const flangeColor = rng.pick(['#1c1c1c', '#2e3236', '#d9d9d4', '#44484c']);
  const flangeRadius = rng.range(6, 16);
  const bezelAngle = rng.range(30, 70);
  // The needle is the last draw: everything above is identical for both states.
  const value = needleValue(rng, zones, state);
  const rt = faceR * 0.9;
  const angleOf = (v: number): number => -sweep / 2 + v * sweep;

  const defs =
    linearGradient(`${id}-bz`, bezel, bezelAngle) +
    radialGradient(`${id}-fc`, [[0, face, 1], [0.85, face, 1], [1, isDarkFace ? '#000' : '#b8b8b0', 1]]) +
    radialGradient(`${id}-cap`, [[0, '#9a9a9a', 1], [1, '#1a1a1a', 1]], 0.35, 0.35);

  const parts: string[] = [];
  let hull: Disc[];
  let outline: string;
  if (isFlanged) {
    outline = roundedRectPath(0, 0, 200, 200, flangeRadius);
    hull = roundedRectDiscs(200, 200, flangeRadius);
    parts.push(`<path d="${outline}" fill="${flangeColor}"/>`);
    for (const [sx, sy] of [[-1, -1], [1, -1], [1, 1], [-1, 1]] as const) {
      parts.push(`<circle cx="${sx * 84}" cy="${sy * 84}" r="5.5" fill="#9a9a9a" stroke="#333" stroke-width="1"/>`);
      parts.push(`<path d="M${sx * 84 - 3.5} ${sy * 84}h7" stroke="#333" stroke-width="1.4"/>`);
    }
  } else {
    outline = circlePath(0, 0, 100);
    hull = [{ x: 0, y: 0, r: 100 }];
  }
  parts.push(`<circle r="${n(outerR)}" fill="url(#${id}-bz)"/>`);
  parts.push(`<circle r="${n(faceR + 2.5)}" fill="#222" fill-opacity="0.55"/>`);
  parts.push(`<circle r="${n(faceR)}" fill="url(#${id}-fc)"/>`);

  const bandIn = rt - faceR * 0.1;
  const band = (a: number, b: number, color: string): void => {
    if (b - a > 0.002) parts.push(`<path d="${annulusSector(bandIn, rt, angleOf(a), angleOf(b))}" fill="${color}"/>`);
  };
  if (zones.lowRed !== undefined) band(0, zones.lowRed, '#d42020');
  band(zones.green[0], zones.green[1], '#22a040');
  if (zones.yellow) band(zones.yellow[0], zones.yellow[1], '#f0c020');
  band(zones.red, 1, '#d42020');

  const ticks: string[] = [];
  const total = majors * minors;
  for (let i = 0; i <= total; i++) {
    const isMajor = i % minors === 0;
    const a = angleOf(i / total);
    const p0 = polar(rt, a);
    const p1 = polar(rt - faceR * (isMajor ? 0.15 : 0.08), a);
    ticks.push(`M${n(p0.x)} ${n(p0.y)}L${n(p1.x)} ${n(p1.y)}`);
  }
  parts.push(`<path d="${ticks.join('')}" stroke="${ink}" stroke-width="${n(faceR * 0.018)}" fill="none"/>`);
  parts.push(`<path d="${annulusSector(rt - 0.6, rt + 0.6, angleOf(0), angleOf(1))}" fill="${ink}"/>`);

  if (hasNumbers) {
    const fs = faceR * 0.13;
    const labels: string[] = [];
    for (let i = 0; i <= majors; i++) {
      const p = polar(rt - faceR * 0.3, angleOf(i / majors));
      labels.push(`<text x="${n(p.x)}" y="${n(p.y + fs * 0.36)}">${formatTick((max * i) / majors)}</text>`);
    }
    parts.push(`<g font-family="${FONT_COND}" font-size="${n(fs)}" fill="${ink}" text-anchor="middle">${labels.join('')}</g>`);
  }
  parts.push(
    `<text y="${n(faceR * 0.42)}" font-family="${FONT}" font-size="${n(faceR * 0.14)}" fill="${ink}" text-anchor="middle">${esc(unit)}</text>`,
  );
  if (caption) {
    parts.push(
      `<text y="${n(faceR * 0.64)}" font-family="${FONT}" font-size="${n(faceR * 0.1)}" fill="${ink}" fill-opacity="0.8" text-anchor="middle">${esc(caption)}</text>`,
    );
  }

  const len = rt - faceR * 0.03;
  const w = faceR * 0.045;
  parts.push(
    `<g transform="rotate(${n(angleOf(value))})">` +
      `<path d="M${n(-w)} 0L${n(-w * 0.18)} ${n(-len)}L${n(w * 0.18)} ${n(-len)}L${n(w)} 0L${n(w * 0.6)} ${n(faceR * 0.2)}L${n(-w * 0.6)} ${n(faceR * 0.2)}Z" fill="${needleColor}"/>` +
      `</g>`,
  );
  parts.push(`<circle r="${n(faceR * 0.08)}" fill="url(#${id}-cap)"/>`);
  parts.push(
    `<path d="M${n(-faceR * 0.85)} ${n(-faceR * 0.1)}A${n(faceR * 0.95)} ${n(faceR * 0.95)} 0 0 1 ${n(faceR * 0.35)} ${n(-faceR * 0.86)}A${n(faceR * 1.3)} ${n(faceR * 1.3)} 0 0 0 ${n(-faceR * 0.85)} ${n(-faceR * 0.1)}Z" fill="#ffffff" fill-opacity="${n(glare)}"/>`,
  );
  return { defs, body: parts.join(''), outline, hull };
}
