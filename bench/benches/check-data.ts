/**
 * Data for the `check` bench: synthetic rig photos with exact boxes, the real-gauges
 * evaluation half (g058 and up), and box perturbations of known size.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoxSide, CheckBox, CheckDetection } from '../../core/index.js';
import { DEFAULT_CLASSES, planCombos, renderRigPhoto } from '../../vision/synth/index.js';

/** A photo with exact boxes, ready to measure. */
export interface ExactPhoto {
  name: string;
  input: Buffer | string;
  width: number;
  height: number;
  combo: string;
  boxes: CheckBox[];
  detections?: CheckDetection[];
}

/** `n` synthetic 640×480 rig photos over the whole plan, difficulty spread over 0.1..0.9. */
export async function synthPhotos(n: number, seed: number): Promise<ExactPhoto[]> {
  const combos = planCombos(DEFAULT_CLASSES, n, seed);
  const out: ExactPhoto[] = [];
  for (let i = 0; i < n; i++) {
    const combo = combos[i] ?? [];
    const p = await renderRigPhoto({ seed: seed * 1000 + i, classes: DEFAULT_CLASSES, combo, difficulty: 0.1 + (0.8 * ((i * 37) % 100)) / 100 });
    const ids = combo.map((k) => DEFAULT_CLASSES.find((c) => c.key === k)?.id ?? -1).sort((a, b) => a - b);
    out.push({ name: `synth-${i}`, input: p.jpeg, width: p.width, height: p.height, combo: ids.join('+'), boxes: p.boxes });
  }
  return out;
}

/** Where the real-gauges set lives (read-only, CC BY 4.0). */
export const REAL_GAUGES = '/work/shared/data/real-gauges';

/** The second half of real-gauges by file name (g058 and up), boxes from its YOLO labels; [] when absent. */
export function realGaugePhotos(dir = REAL_GAUGES): ExactPhoto[] {
  if (!existsSync(join(dir, 'images'))) return [];
  const size = 416;
  return readdirSync(join(dir, 'images'))
    .filter((f) => /^g\d{3}\.jpg$/.test(f) && Number(f.slice(1, 4)) >= 58)
    .sort()
    .map((f) => {
      const stem = f.slice(0, 4);
      const lines = readFileSync(join(dir, 'labels', `${stem}.txt`), 'utf8').split('\n').filter((l) => l.trim());
      const boxes = lines.map((l) => {
        const [c, cx, cy, w, h] = l.trim().split(/\s+/).map(Number) as [number, number, number, number, number];
        return { classId: c, x1: (cx - w / 2) * size, y1: (cy - h / 2) * size, x2: (cx + w / 2) * size, y2: (cy + h / 2) * size };
      });
      return { name: stem, input: join(dir, 'images', f), width: size, height: size, combo: '0', boxes };
    });
}

/** A known change to one side of a box: grow (+) or shrink (−) by px or by a share of the side. */
export interface Perturbation {
  label: string;
  px?: number;
  fraction?: number;
}

/** How far `p` moves a side of `box` (px, positive = outward). */
export function perturbationPx(box: CheckBox, side: BoxSide, p: Perturbation): number {
  const length = side === 'left' || side === 'right' ? box.x2 - box.x1 : box.y2 - box.y1;
  return p.px ?? (p.fraction ?? 0) * length;
}

/** `box` with `side` moved outward by `px`, clamped to the image. */
export function moveSide(box: CheckBox, side: BoxSide, px: number, width: number, height: number): CheckBox {
  switch (side) {
    case 'left':
      return { ...box, x1: Math.max(0, box.x1 - px) };
    case 'right':
      return { ...box, x2: Math.min(width, box.x2 + px) };
    case 'top':
      return { ...box, y1: Math.max(0, box.y1 - px) };
    case 'bottom':
      return { ...box, y2: Math.min(height, box.y2 + px) };
  }
}
