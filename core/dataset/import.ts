import { detectDatasets, type DetectedDataset } from './detect.js';
import { parseCoco } from './parse-coco.js';
import { parseVoc } from './parse-voc.js';
import { parseYolo } from './parse-yolo.js';
import type { DatasetFormat, DatasetIssue, DatasetSource, ParsedDataset } from './types.js';

export type DatasetImportResult =
  | { kind: 'found'; dataset: ParsedDataset; detected: DetectedDataset[] }
  | { kind: 'none'; issues: DatasetIssue[] };

/** When an archive holds several datasets (our own export holds all three), the first of these wins. */
export const IMPORT_PREFERENCE: readonly DatasetFormat[] = ['coco', 'voc', 'yolo'];

/**
 * Detects the dataset in an archive and parses it, naming every problem in `issues`
 * (file and line where there is one). Pass `choose` to import a detected dataset other
 * than the preferred one. Images with a fatal problem are left out; the caller shows the
 * issues and lets the user decide whether what remains is enough.
 */
export async function importDataset(source: DatasetSource, choose?: (found: DetectedDataset[]) => DetectedDataset | undefined): Promise<DatasetImportResult> {
  const detectIssues: DatasetIssue[] = [];
  const detected = await detectDatasets(source, detectIssues);
  const chosen =
    choose?.(detected) ??
    [...detected].sort((a, b) => IMPORT_PREFERENCE.indexOf(a.format) - IMPORT_PREFERENCE.indexOf(b.format) || a.root.localeCompare(b.root))[0];
  if (!chosen) {
    return {
      kind: 'none',
      issues: [
        ...detectIssues,
        { code: 'no-dataset', severity: 'error', detail: 'no YOLO data.yaml/classes.txt, COCO json or VOC Annotations/*.xml found' },
      ],
    };
  }
  const dataset =
    chosen.format === 'yolo'
      ? await parseYolo(source, chosen.files[0] ?? '')
      : chosen.format === 'coco'
        ? await parseCoco(source, chosen.files)
        : await parseVoc(source, chosen.root);
  if (chosen.format === 'coco') dataset.issues.unshift(...detectIssues.filter((i) => i.file?.startsWith(chosen.root)));
  const seen = new Set<string>();
  dataset.images = dataset.images.filter((img) => {
    if (!seen.has(img.path)) return seen.add(img.path);
    dataset.issues.push({ code: 'duplicate-image', severity: 'warning', file: img.path, detail: 'annotated twice: the first annotation is kept' });
    return false;
  });
  return { kind: 'found', dataset, detected };
}
