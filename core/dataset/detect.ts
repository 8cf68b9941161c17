import { looksLikeCoco, cocoRoot, parseJson } from './parse-coco.js';
import { vocRoot } from './parse-voc.js';
import { baseName, dirName } from './paths.js';
import type { DatasetFormat, DatasetIssue, DatasetSource } from './types.js';

/** A dataset found in an archive: its format, its root folder and the files that define it. */
export interface DetectedDataset {
  format: DatasetFormat;
  root: string;
  /** YOLO: the data.yaml or classes.txt; COCO: the annotation jsons; VOC: the xmls. */
  files: string[];
}

const YOLO_YAML = /^(data|dataset)\.ya?ml$/i;

/**
 * Finds every dataset in the archive by its signature: YOLO by `data.yaml` (or a
 * `classes.txt` beside label files), COCO by a json with images/annotations/categories,
 * VOC by `Annotations/*.xml`. JSON files that do not parse are reported (they may be the
 * COCO file the user meant).
 */
export async function detectDatasets(source: DatasetSource, issues: DatasetIssue[]): Promise<DetectedDataset[]> {
  const found: DetectedDataset[] = [];
  const yamlRoots = new Set<string>();
  for (const e of source.entries) {
    if (YOLO_YAML.test(baseName(e.path))) {
      yamlRoots.add(dirName(e.path));
      found.push({ format: 'yolo', root: dirName(e.path), files: [e.path] });
    }
  }
  for (const e of source.entries) {
    if (baseName(e.path).toLowerCase() !== 'classes.txt') continue;
    const root = dirName(e.path);
    if ([...yamlRoots].some((r) => root === r || root.startsWith(`${r}/`))) continue;
    if (source.entries.some((o) => o.path !== e.path && o.path.endsWith('.txt') && dirName(o.path).startsWith(root))) {
      found.push({ format: 'yolo', root, files: [e.path] });
    }
  }
  const coco = new Map<string, string[]>();
  for (const e of source.entries) {
    if (!e.path.toLowerCase().endsWith('.json')) continue;
    const text = await source.readText(e.path);
    if (text.trim() === '') {
      issues.push({ code: 'empty-file', severity: 'error', file: e.path, detail: 'json file is empty' });
      continue;
    }
    const doc = parseJson(text, e.path, issues);
    if (doc !== undefined && looksLikeCoco(doc)) {
      const root = cocoRoot(e.path);
      coco.set(root, [...(coco.get(root) ?? []), e.path]);
    }
  }
  for (const [root, files] of coco) found.push({ format: 'coco', root, files: files.sort() });
  const voc = new Map<string, string[]>();
  for (const e of source.entries) {
    if (baseName(dirName(e.path)) === 'Annotations' && e.path.toLowerCase().endsWith('.xml')) {
      const root = vocRoot(e.path);
      voc.set(root, [...(voc.get(root) ?? []), e.path]);
    }
  }
  for (const [root, files] of voc) found.push({ format: 'voc', root, files });
  return found;
}
