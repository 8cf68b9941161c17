/**
 * Class colours for box outlines and legends: one table for the chat preview (vision)
 * and the box editor (web sends them in the photo JSON), so a class looks the same in
 * both. Saturated, fairly light hues so a thin outline stays visible on typical photos
 * (grey metal, white panels, dark cases); previews also draw a dark halo under each outline.
 */

/** Hand-picked, mutually distinct hues, most distinct first. */
const BASE: readonly string[] = [
  '#ff3030', // red
  '#ffee00', // yellow
  '#22cc44', // green
  '#2080ff', // blue
  '#ff8800', // orange
  '#ee44ff', // magenta
  '#00e5ff', // cyan
  '#aaff00', // lime
  '#8855ff', // violet
  '#ff88bb', // pink
  '#00bb99', // teal
  '#c08040', // ochre
];

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * `n` distinct CSS colours (`#rrggbb`, lowercase), stable for a given index: class
 * `i` always gets `classPalette(n)[i]` whatever `n` is. The first 12 are hand-picked;
 * more follow the golden angle around the hue circle, alternating lightness.
 */
export function classPalette(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`classPalette: n must be a non-negative integer, got ${n}`);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = BASE[i];
    if (base !== undefined) {
      out.push(base);
      continue;
    }
    const k = i - BASE.length;
    const hue = (k * 137.508 + 15) % 360;
    out.push(hslToHex(hue, 0.9, k % 2 === 0 ? 0.6 : 0.5));
  }
  return out;
}
