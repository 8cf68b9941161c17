import { parse as parseYaml } from 'yaml';
import { checkBox, indexImages, pick } from './common.js';
import { baseName, dirName, extOf, isImagePath, isUnder, joinPath, relativeTo, stemOf } from './paths.js';
import type { DatasetIssue, DatasetSource, DatasetSplit, ParsedDataset, ParsedImage, SourceBox, SourceClass } from './types.js';

/**
 * Parses a YOLO dataset. `file` is its `data.yaml` (Ultralytics: `names`, `train`/`val`
 * folders of images, labels found by replacing the last `/images/` with `/labels/`) or its
 * `classes.txt` (labelImg: one name a line, `<stem>.txt` labels anywhere under the root).
 */
export async function parseYolo(source: DatasetSource, file: string): Promise<ParsedDataset> {
  const root = dirName(file);
  const issues: DatasetIssue[] = [];
  const out: ParsedDataset = { format: 'yolo', root, classes: [], images: [], issues };
  const text = await source.readText(file);
  if (text.trim() === '') {
    issues.push({ code: 'empty-file', severity: 'error', file, detail: 'class list is empty' });
    return out;
  }
  const splits: { split: DatasetSplit; dir: string }[] = [];
  if (baseName(file).toLowerCase() === 'classes.txt') {
    out.classes = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').map((name, id) => ({ id, name }));
  } else {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
      issues.push({ code: 'malformed', severity: 'error', file, ...(line ? { line } : {}), detail: `YAML: ${(err as Error).message.split('\n')[0]}` });
      return out;
    }
    const d = (doc ?? {}) as { names?: unknown; train?: unknown; val?: unknown };
    out.classes = yamlNames(d.names);
    if (out.classes.length === 0) issues.push({ code: 'malformed', severity: 'error', file, detail: '`names` is missing or empty' });
    for (const split of ['train', 'val'] as const) {
      const v = d[split];
      const dirs = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      for (const dir of dirs) {
        const found = splitFolder(source, root, dir);
        if (found === undefined) {
          issues.push({ code: 'malformed', severity: 'error', file, detail: `${split}: ${dir} is not a folder of images inside the dataset` });
        } else splits.push({ split, dir: found });
      }
    }
  }
  const index = indexImages(source, root);
  const labels = source.entries.filter((e) => isUnder(e.path, root) && e.path.endsWith('.txt') && e.path !== file && !/(^|\/)classes\.txt$/i.test(e.path));
  const labelByPath = new Map(labels.map((e) => [e.path, e]));
  const used = new Set<string>();
  const pairs: { image?: string; label?: string; split: DatasetSplit }[] = [];
  if (splits.length > 0) {
    for (const { split, dir } of splits) {
      for (const img of index.byRel.values()) {
        if (!isUnder(img, dir)) continue;
        const label = labelPathFor(img);
        const hasLabel = labelByPath.has(label);
        if (hasLabel) used.add(label);
        pairs.push({ image: img, ...(hasLabel ? { label } : {}), split });
      }
    }
    for (const l of labels) if (!used.has(l.path) && /(^|\/)labels\//.test(relativeTo(l.path, root))) pairs.push({ label: l.path, split: 'train' });
  } else {
    for (const l of labels) {
      const img = pick(index.byStem.get(stemOf(l.path)));
      if (img) used.add(img);
      pairs.push({ ...(img ? { image: img } : {}), label: l.path, split: /(^|\/)val\//.test(l.path) ? 'val' : 'train' });
    }
    for (const img of index.byRel.values()) if (!used.has(img)) pairs.push({ image: img, split: /(^|\/)val\//.test(img) ? 'val' : 'train' });
  }
  for (const p of pairs) {
    if (!p.image) {
      issues.push({ code: 'image-missing', severity: 'error', file: p.label, detail: `no image named ${stemOf(p.label ?? '')}.* for this label file` });
      continue;
    }
    if (!p.label) {
      issues.push({ code: 'label-missing', severity: 'warning', file: p.image, detail: 'no label file: kept as a photo with no objects' });
    }
    const size = await source.imageSize(p.image);
    if (!size) {
      issues.push({ code: 'image-size-unknown', severity: 'error', file: p.image, detail: 'the image could not be read' });
      continue;
    }
    const image: ParsedImage = { path: p.image, fileName: baseName(p.image), width: size.width, height: size.height, split: p.split, boxes: [] };
    if (p.label) image.boxes = parseLabel(await source.readText(p.label), p.label, out.classes, size, issues);
    out.images.push(image);
  }
  return out;
}

/**
 * The archive folder a `train:`/`val:` entry names. Exports from other machines write
 * `../train/images` (Roboflow) or an absolute Colab path: those are matched by their
 * longest tail that is a folder of images under the root. A `.txt` list is not supported.
 */
function splitFolder(source: DatasetSource, root: string, dir: string): string | undefined {
  const segments = dir.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || dir.endsWith('.txt')) return undefined;
  const relative = !dir.startsWith('/') && !segments.includes('..');
  for (let i = 0; i < segments.length; i++) {
    const tail = segments.slice(i);
    if (tail.includes('..')) continue;
    const folder = joinPath(root, ...tail);
    if (relative || source.entries.some((e) => isUnder(e.path, folder) && isImagePath(e.path))) return folder;
  }
  return undefined;
}

/** Ultralytics' rule: the last `/images/` becomes `/labels/`, the extension `.txt`. */
function labelPathFor(img: string): string {
  const withSlash = `/${img.slice(0, img.length - extOf(img).length)}.txt`;
  const i = withSlash.lastIndexOf('/images/');
  return (i < 0 ? withSlash : `${withSlash.slice(0, i)}/labels/${withSlash.slice(i + 8)}`).slice(1);
}

function yamlNames(names: unknown): SourceClass[] {
  if (Array.isArray(names)) return names.map((n, id) => ({ id, name: String(n) }));
  if (names && typeof names === 'object') {
    return Object.entries(names as Record<string, unknown>)
      .filter(([k]) => /^\d+$/.test(k))
      .map(([k, v]) => ({ id: Number(k), name: String(v) }))
      .sort((a, b) => a.id - b.id);
  }
  return [];
}

function parseLabel(text: string, file: string, classes: SourceClass[], size: { width: number; height: number }, issues: DatasetIssue[]): SourceBox[] {
  const boxes: SourceBox[] = [];
  if (text.trim() === '') {
    issues.push({ code: 'empty-file', severity: 'warning', file, detail: 'label file is empty: kept as a photo with no objects' });
    return boxes;
  }
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '') return;
    const parts = t.split(/\s+/);
    const nums = parts.map(Number);
    if (parts.length !== 5 || !nums.every(Number.isFinite) || !/^\d+$/.test(parts[0] ?? '')) {
      issues.push({ code: 'malformed', severity: 'error', file, line, detail: `expected "class cx cy w h", got ${JSON.stringify(t.slice(0, 80))}` });
      return;
    }
    const [cls, cx, cy, w, h] = nums as [number, number, number, number, number];
    const sourceClass = classes.findIndex((c) => c.id === cls);
    if (sourceClass < 0) {
      issues.push({ code: 'unknown-class', severity: 'error', file, line, detail: `class ${cls} is not in the class list (${classes.length} names)` });
      return;
    }
    const box = { sourceClass, x1: (cx - w / 2) * size.width, y1: (cy - h / 2) * size.height, x2: (cx + w / 2) * size.width, y2: (cy + h / 2) * size.height };
    const kept = checkBox(box, size.width, size.height, { file, line }, issues);
    if (kept) boxes.push(kept);
  });
  return boxes;
}
