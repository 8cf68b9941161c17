/**
 * Tiny SVG string helpers shared by the meter, background and clutter painters.
 * Numbers are rounded so the same scene always yields the same SVG text.
 */
import { round } from './geometry.js';

/** Formats a number for SVG attributes (2 decimals, no `-0`). */
export function n(v: number): string {
  return String(round(v, 2));
}

/** Point on a circle of radius `r`; `deg` 0 points up, positive turns clockwise (screen). */
export function polar(r: number, deg: number): { x: number; y: number } {
  const t = (deg * Math.PI) / 180;
  return { x: r * Math.sin(t), y: -r * Math.cos(t) };
}

/** Path of an annulus sector between radii r1 < r2 from angle a0 to a1 (degrees, clockwise). */
export function annulusSector(r1: number, r2: number, a0: number, a1: number): string {
  const large = a1 - a0 > 180 ? 1 : 0;
  const o0 = polar(r2, a0);
  const o1 = polar(r2, a1);
  const i1 = polar(r1, a1);
  const i0 = polar(r1, a0);
  return (
    `M${n(o0.x)} ${n(o0.y)}A${n(r2)} ${n(r2)} 0 ${large} 1 ${n(o1.x)} ${n(o1.y)}` +
    `L${n(i1.x)} ${n(i1.y)}A${n(r1)} ${n(r1)} 0 ${large} 0 ${n(i0.x)} ${n(i0.y)}Z`
  );
}

/** Path of a rounded rectangle centred at (cx, cy). */
export function roundedRectPath(cx: number, cy: number, w: number, h: number, r: number): string {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  const x = cx - w / 2;
  const y = cy - h / 2;
  return (
    `M${n(x + rr)} ${n(y)}H${n(x + w - rr)}A${n(rr)} ${n(rr)} 0 0 1 ${n(x + w)} ${n(y + rr)}` +
    `V${n(y + h - rr)}A${n(rr)} ${n(rr)} 0 0 1 ${n(x + w - rr)} ${n(y + h)}` +
    `H${n(x + rr)}A${n(rr)} ${n(rr)} 0 0 1 ${n(x)} ${n(y + h - rr)}` +
    `V${n(y + rr)}A${n(rr)} ${n(rr)} 0 0 1 ${n(x + rr)} ${n(y)}Z`
  );
}

/** Path of a circle centred at (cx, cy) (as a path so it can share a `d` with other outlines). */
export function circlePath(cx: number, cy: number, r: number): string {
  return `M${n(cx - r)} ${n(cy)}A${n(r)} ${n(r)} 0 1 0 ${n(cx + r)} ${n(cy)}A${n(r)} ${n(r)} 0 1 0 ${n(cx - r)} ${n(cy)}Z`;
}

/** `hsl()` colour string; s and l in percent. */
export function hsl(h: number, s: number, l: number): string {
  return `hsl(${n(((h % 360) + 360) % 360)},${n(clamp(s, 0, 100))}%,${n(clamp(l, 0, 100))}%)`;
}

/** Grey of lightness `l` percent. */
export function grey(l: number): string {
  return hsl(0, 0, l);
}

/** Clamps v into [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Escapes text for an SVG text node. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A `<linearGradient>` from top-left to bottom-right (or along `angle` degrees) with evenly spaced stops. */
export function linearGradient(id: string, colors: readonly string[], angle = 45): string {
  const t = (angle * Math.PI) / 180;
  const dx = Math.cos(t) / 2;
  const dy = Math.sin(t) / 2;
  const stops = colors
    .map((c, i) => `<stop offset="${n(colors.length === 1 ? 0 : i / (colors.length - 1))}" stop-color="${c}"/>`)
    .join('');
  return `<linearGradient id="${id}" x1="${n(0.5 - dx)}" y1="${n(0.5 - dy)}" x2="${n(0.5 + dx)}" y2="${n(0.5 + dy)}">${stops}</linearGradient>`;
}

/** A `<radialGradient>` with stops given as [offset 0..1, colour, opacity]. */
export function radialGradient(
  id: string,
  stops: readonly (readonly [number, string, number])[],
  cx = 0.5,
  cy = 0.5,
): string {
  const body = stops
    .map(([o, c, a]) => `<stop offset="${n(o)}" stop-color="${c}" stop-opacity="${n(a)}"/>`)
    .join('');
  return `<radialGradient id="${id}" cx="${n(cx)}" cy="${n(cy)}" r="0.5">${body}</radialGradient>`;
}

/** Font stack available on the build machines (DejaVu + Noto CJK); rendered by librsvg/pango. */
export const FONT = "DejaVu Sans, Noto Sans CJK SC, sans-serif";
/** Condensed font for dial numbers and plate labels. */
export const FONT_COND = "DejaVu Sans Condensed, DejaVu Sans, sans-serif";
