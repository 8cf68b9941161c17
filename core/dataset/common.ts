import { baseName, isImagePath, isUnder, relativeTo, stemOf } from './paths.js';
import type { DatasetIssue, DatasetSource, SourceBox } from './types.js';

/** The image entries under a dataset root, looked up by relative path, base name or stem. */
export interface ImageIndex {
  byRel: Map<string, string>;
  byBase: Map<string, string[]>;
  byStem: Map<string, string[]>;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexImages(source: DatasetSource, root: string): ImageIndex {
  const index: ImageIndex = { byRel: new Map(), byBase: new Map(), byStem: new Map() };
  for (const e of source.entries) {
    if (!isUnder(e.path, root) || !isImagePath(e.path)) continue;
    index.byRel.set(relativeTo(e.path, root), e.path);
    push(index.byBase, baseName(e.path).toLowerCase(), e.path);
    push(index.byStem, stemOf(e.path), e.path);
  }
  return index;
}

/** Picks one of several candidates, preferring one whose path has `prefer` as a folder. */
export function pick(candidates: string[] | undefined, prefer?: string): string | undefined {
  if (!candidates || candidates.length === 0) return undefined;
  if (prefer) {
    const hit = candidates.find((c) => c.split('/').slice(0, -1).includes(prefer));
    if (hit) return hit;
  }
  return candidates[0];
}

/** Boxes may overrun the image by this many pixels (rounding in other tools) and are clamped silently. */
const EDGE_TOLERANCE_PX = 1;

/**
 * Checks a box against its image: within tolerance it is clamped silently; partly
 * outside it is clamped with a warning; degenerate or wholly outside it is dropped with
 * an error. Returns the box to keep, or undefined.
 */
export function checkBox(box: SourceBox, width: number, height: number, at: { file: string; line?: number; what?: string }, issues: DatasetIssue[]): SourceBox | undefined {
  const where = { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}) };
  const values = [box.x1, box.y1, box.x2, box.y2];
  const desc = `${at.what ? `${at.what}: ` : ''}box ${values.map((v) => Math.round(v * 100) / 100).join(',')} in ${width}×${height}`;
  if (!values.every(Number.isFinite) || box.x2 <= box.x1 || box.y2 <= box.y1) {
    issues.push({ code: 'box-degenerate', severity: 'error', ...where, detail: `${desc}: no area` });
    return undefined;
  }
  const c = { ...box, x1: Math.max(0, box.x1), y1: Math.max(0, box.y1), x2: Math.min(width, box.x2), y2: Math.min(height, box.y2) };
  if (c.x2 <= c.x1 || c.y2 <= c.y1) {
    issues.push({ code: 'box-outside', severity: 'error', ...where, detail: `${desc}: wholly outside the image` });
    return undefined;
  }
  const overrun = Math.max(-box.x1, -box.y1, box.x2 - width, box.y2 - height);
  if (overrun > EDGE_TOLERANCE_PX) {
    issues.push({ code: 'box-outside', severity: 'warning', ...where, detail: `${desc}: ${Math.round(overrun)} px outside, clamped to the image` });
  }
  return c;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
