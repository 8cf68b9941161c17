import { checkBox, indexImages, lineAt, pick } from './common.js';
import { jsonErrorOffset } from './json-error.js';
import { baseName, dirName, joinPath } from './paths.js';
import type { DatasetIssue, DatasetSource, DatasetSplit, ParsedDataset, ParsedImage, SourceClass } from './types.js';

/** True when a parsed JSON value has COCO's three arrays. */
export function looksLikeCoco(doc: unknown): boolean {
  const d = doc as Record<string, unknown> | null;
  return !!d && typeof d === 'object' && Array.isArray(d.images) && Array.isArray(d.annotations) && Array.isArray(d.categories);
}

/** The dataset root of a COCO json: the parent of `annotations/`, else the json's folder. */
export function cocoRoot(file: string): string {
  const dir = dirName(file);
  return baseName(dir).toLowerCase() === 'annotations' ? dirName(dir) : dir;
}

function splitOf(file: string): DatasetSplit {
  return /val/i.test(baseName(file)) ? 'val' : 'train';
}

/** Parses JSON and names the line of a syntax error. */
export function parseJson(text: string, file: string, issues: DatasetIssue[]): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const offset = jsonErrorOffset(text);
    const at = offset === undefined ? undefined : lineAt(text, offset);
    issues.push({ code: 'malformed', severity: 'error', file, ...(at ? { line: at } : {}), detail: `JSON: ${msg}` });
    return undefined;
  }
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Parses the COCO jsons of one root (one per split; `val` in the file name = val).
 * Images are found by `file_name` relative to the root, the split folder (`train/`,
 * `val/`, `images/<split>/`) or, failing that, by base name.
 */
export async function parseCoco(source: DatasetSource, files: string[]): Promise<ParsedDataset> {
  const root = cocoRoot(files[0] ?? '');
  const issues: DatasetIssue[] = [];
  const out: ParsedDataset = { format: 'coco', root, classes: [], images: [], issues };
  const index = indexImages(source, root);
  const classIndex = new Map<number, number>();
  for (const file of files) {
    const text = await source.readText(file);
    if (text.trim() === '') {
      issues.push({ code: 'empty-file', severity: 'error', file, detail: 'annotation file is empty' });
      continue;
    }
    const doc = parseJson(text, file, issues) as { images: unknown[]; annotations: unknown[]; categories: unknown[] } | undefined;
    if (doc === undefined) continue;
    if (!looksLikeCoco(doc)) {
      issues.push({ code: 'malformed', severity: 'error', file, detail: 'not COCO: needs images, annotations and categories arrays' });
      continue;
    }
    doc.categories.forEach((c, i) => {
      const cat = c as { id?: unknown; name?: unknown };
      if (!num(cat.id) || typeof cat.name !== 'string') {
        issues.push({ code: 'malformed', severity: 'error', file, detail: `categories[${i}] needs a numeric id and a name` });
      } else if (!classIndex.has(cat.id)) {
        classIndex.set(cat.id, out.classes.length);
        out.classes.push({ id: cat.id, name: cat.name } satisfies SourceClass);
      }
    });
    const split = splitOf(file);
    const byId = new Map<number, ParsedImage>();
    doc.images.forEach((im, i) => {
      const img = im as { id?: unknown; file_name?: unknown; width?: unknown; height?: unknown };
      if (!num(img.id) || typeof img.file_name !== 'string' || !num(img.width) || !num(img.height) || img.width <= 0 || img.height <= 0) {
        issues.push({ code: 'malformed', severity: 'error', file, detail: `images[${i}] needs id, file_name, width and height` });
        return;
      }
      const name = img.file_name.replace(/\\/g, '/').replace(/^\.\//, '');
      const path =
        index.byRel.get(name) ??
        index.byRel.get(joinPath(split, name)) ??
        index.byRel.get(joinPath('images', split, name)) ??
        pick(index.byBase.get(baseName(name).toLowerCase()), split);
      if (!path) {
        issues.push({ code: 'image-missing', severity: 'error', file, detail: `images[${i}] ${img.file_name} is not in the archive` });
        return;
      }
      byId.set(img.id, { path, fileName: baseName(path), width: img.width, height: img.height, split, boxes: [] });
    });
    const missingIds = new Set<number>();
    doc.annotations.forEach((a, i) => {
      const ann = a as { image_id?: unknown; category_id?: unknown; bbox?: unknown };
      const where = { file, detail: `annotations[${i}]` };
      const bbox = ann.bbox;
      if (!num(ann.image_id) || !num(ann.category_id) || !Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(num)) {
        issues.push({ code: 'malformed', severity: 'error', ...where, detail: `${where.detail} needs image_id, category_id and bbox [x,y,w,h]` });
        return;
      }
      const image = byId.get(ann.image_id);
      if (!image) {
        if (!missingIds.has(ann.image_id) && !doc.images.some((im) => (im as { id?: unknown }).id === ann.image_id)) {
          issues.push({ code: 'malformed', severity: 'error', ...where, detail: `${where.detail}: image_id ${ann.image_id} is not in images` });
        }
        missingIds.add(ann.image_id);
        return;
      }
      const sourceClass = classIndex.get(ann.category_id);
      if (sourceClass === undefined) {
        issues.push({ code: 'unknown-class', severity: 'error', ...where, detail: `${where.detail}: category_id ${ann.category_id} is not in categories` });
        return;
      }
      const [x, y, w, h] = bbox as [number, number, number, number];
      const kept = checkBox({ sourceClass, x1: x, y1: y, x2: x + w, y2: y + h }, image.width, image.height, { file, what: where.detail }, issues);
      if (kept) image.boxes.push(kept);
    });
    out.images.push(...byId.values());
  }
  return out;
}
