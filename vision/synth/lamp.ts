/**
 * Indicator lamp (pilot light): a ring bezel around a domed lens. `light-on` glows
 * bright with a halo outside the body; `light-off` shows the same lens dark with only
 * a specular highlight. Lens colour is drawn independently of the state.
 */
import { roundedRectDiscs } from './geometry.js';
import type { Disc } from './geometry.js';
import type { MeterArt } from './meter-art.js';
import type { Rng } from './rng.js';
import { circlePath, hsl, linearGradient, n, radialGradient, roundedRectPath } from './svg.js';

const HUES: readonly (readonly [number, number])[] = [
  [2, 90],
  [120, 80],
  [48, 95],
  [212, 85],
  [30, 20],
];

/** Paints a lamp with the given id prefix; `isOn` picks lit or dark. */
export function paintLamp(rng: Rng, id: string, isOn: boolean): MeterArt {
  const isSquareBase = rng.chance(0.25);
  const [hue, sat] = rng.pick(HUES);
  const ring = rng.pick([
    ['#f0f0f0', '#7a7a7a', '#dadada'],
    ['#333', '#0c0c0c', '#262626'],
    ['#c8c8c8', '#8a8a8a'],
  ]);
  const ringR = isSquareBase ? 80 : 100;
  const lensR = ringR * rng.range(0.68, 0.8);
  const parts: string[] = [];
  let hull: Disc[];
  let outline: string;
  if (isSquareBase) {
    const r = rng.range(4, 12);
    outline = roundedRectPath(0, 0, 200, 200, r);
    hull = roundedRectDiscs(200, 200, r);
    parts.push(`<path d="${outline}" fill="${rng.pick(['#e2e2dc', '#2a2a2a', '#5a5e62'])}"/>`);
  } else {
    outline = circlePath(0, 0, 100);
    hull = [{ x: 0, y: 0, r: 100 }];
  }
  const isWhite = sat < 50;
  const lens = isOn
    ? radialGradient(`${id}-ln`, [
        [0, '#ffffff', 1],
        [0.3, hsl(hue, sat, isWhite ? 94 : 82), 1],
        [0.8, hsl(hue, sat, isWhite ? 84 : 58), 1],
        [1, hsl(hue, sat, isWhite ? 70 : 46), 1],
      ])
    : radialGradient(
        `${id}-ln`,
        [
          [0, hsl(hue, sat * 0.6, isWhite ? 40 : 30), 1],
          [1, hsl(hue, sat * 0.6, isWhite ? 16 : 12), 1],
        ],
        0.4,
        0.35,
      );
  const glowR = rng.range(1.35, 1.8) * 100;
  const edge = 100 / glowR;
  const defs =
    linearGradient(`${id}-rg`, ring, rng.range(30, 70)) +
    lens +
    radialGradient(`${id}-gl`, [
      [0, hsl(hue, sat, 75), 0.9],
      [edge * 0.9, hsl(hue, sat, 70), 0.75],
      [edge + (1 - edge) * 0.35, hsl(hue, sat, 62), 0.3],
      [1, hsl(hue, sat, 55), 0],
    ]);
  parts.push(`<circle r="${n(ringR)}" fill="url(#${id}-rg)"/>`);
  parts.push(`<circle r="${n(lensR + ringR * 0.06)}" fill="#111" fill-opacity="0.6"/>`);
  parts.push(`<circle r="${n(lensR)}" fill="url(#${id}-ln)"/>`);
  if (!isOn) {
    parts.push(`<ellipse cx="${n(-lensR * 0.3)}" cy="${n(-lensR * 0.38)}" rx="${n(lensR * 0.32)}" ry="${n(lensR * 0.18)}" transform="rotate(-30 ${n(-lensR * 0.3)} ${n(-lensR * 0.38)})" fill="#fff" fill-opacity="${n(rng.range(0.25, 0.5))}"/>`);
  } else {
    parts.push(`<circle r="${n(lensR * 0.96)}" fill="none" stroke="${hsl(hue, sat, 85)}" stroke-width="${n(lensR * 0.05)}" stroke-opacity="0.5"/>`);
  }
  const glow = isOn ? `<circle r="${n(glowR)}" fill="url(#${id}-gl)" fill-opacity="${n(rng.range(0.6, 1))}"/>` : undefined;
  return glow === undefined ? { defs, body: parts.join(''), outline, hull } : { defs, body: parts.join(''), outline, hull, glow };
}
