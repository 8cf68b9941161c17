/**
 * YOLO label lines (`classId cx cy w h`, normalised 0..1, 6 decimals) ⇄ pixel boxes.
 */
import type { SynthBox } from './types.js';

/** One YOLO line for a pixel box in an image of `width`×`height`; coordinates are clamped to the image. */
export function toYoloLine(box: SynthBox, width: number, height: number): string {
  const x1 = clamp(box.x1, 0, width);
  const x2 = clamp(box.x2, 0, width);
  const y1 = clamp(box.y1, 0, height);
  const y2 = clamp(box.y2, 0, height);
  const f = (v: number): string => v.toFixed(6);
  return `${box.classId} ${f((x1 + x2) / 2 / width)} ${f((y1 + y2) / 2 / height)} ${f((x2 - x1) / width)} ${f((y2 - y1) / height)}`;
}

/** A whole label file: one line per box, trailing newline (empty string for no boxes). */
export function toYoloLabel(boxes: readonly SynthBox[], width: number, height: number): string {
  return boxes.map((b) => `${toYoloLine(b, width, height)}\n`).join('');
}

/** Parses a label file back into pixel boxes; throws on a malformed line, naming it. */
export function parseYoloLabel(text: string, width: number, height: number): SynthBox[] {
  const boxes: SynthBox[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const parts = line.split(/\s+/).map(Number);
    if (parts.length !== 5 || parts.some((v) => !Number.isFinite(v)) || !Number.isInteger(parts[0])) {
      throw new SyntaxError(`YOLO label line ${i + 1} is not "classId cx cy w h": ${JSON.stringify(line)}`);
    }
    const [classId, cx, cy, w, h] = parts as [number, number, number, number, number];
    boxes.push({
      classId,
      x1: (cx - w / 2) * width,
      y1: (cy - h / 2) * height,
      x2: (cx + w / 2) * width,
      y2: (cy + h / 2) * height,
    });
  }
  return boxes;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
