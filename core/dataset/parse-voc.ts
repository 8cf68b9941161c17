import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkBox, indexImages, pick } from './common.js';
import { baseName, dirName, isUnder, joinPath, stemOf } from './paths.js';
import type { DatasetIssue, DatasetSource, DatasetSplit, ParsedDataset, SourceClass } from './types.js';

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'object', processEntities: true });

/** The dataset root of a VOC annotation: the parent of its `Annotations/` folder. */
export function vocRoot(xmlPath: string): string {
  return dirName(dirName(xmlPath));
}

interface VocDoc {
  annotation?: {
    filename?: string;
    size?: { width?: string; height?: string };
    object?: { name?: string; bndbox?: { xmin?: string; ymin?: string; xmax?: string; ymax?: string } }[];
  };
}

async function readSets(source: DatasetSource, root: string): Promise<Map<string, DatasetSplit>> {
  const sets = new Map<string, DatasetSplit>();
  for (const split of ['train', 'trainval', 'val'] as const) {
    const path = joinPath(root, 'ImageSets', 'Main', `${split}.txt`);
    if (!source.entries.some((e) => e.path === path)) continue;
    for (const line of (await source.readText(path)).split(/\r?\n/)) {
      const stem = line.trim().split(/\s+/)[0];
      if (stem) sets.set(stem, split === 'val' ? 'val' : 'train');
    }
  }
  return sets;
}

/**
 * Parses a Pascal VOC dataset: every `Annotations/*.xml` under `root`, images in
 * `JPEGImages/` (or found by stem), the split from `ImageSets/Main/{train,val}.txt`
 * (train when unlisted). Boxes come back as pixel edges: `x1 = xmin − 1, x2 = xmax`
 * (a `xmin` of 0, which some tools write, is read as the image edge).
 */
export async function parseVoc(source: DatasetSource, root: string): Promise<ParsedDataset> {
  const issues: DatasetIssue[] = [];
  const out: ParsedDataset = { format: 'voc', root, classes: [], images: [], issues };
  const index = indexImages(source, root);
  const sets = await readSets(source, root);
  const classIndex = new Map<string, number>();
  const xmls = source.entries.filter((e) => isUnder(e.path, root) && vocRoot(e.path) === root && baseName(dirName(e.path)) === 'Annotations' && e.path.toLowerCase().endsWith('.xml'));
  for (const { path: file } of xmls) {
    const text = await source.readText(file);
    if (text.trim() === '') {
      issues.push({ code: 'empty-file', severity: 'error', file, detail: 'annotation file is empty' });
      continue;
    }
    if (/<!DOCTYPE/i.test(text)) {
      issues.push({ code: 'malformed', severity: 'error', file, detail: 'XML with a DOCTYPE is refused (entity expansion)' });
      continue;
    }
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      issues.push({ code: 'malformed', severity: 'error', file, line: valid.err.line, detail: `XML: ${valid.err.msg}` });
      continue;
    }
    const ann = (parser.parse(text) as VocDoc).annotation;
    const width = Number(ann?.size?.width);
    const height = Number(ann?.size?.height);
    const fileName = typeof ann?.filename === 'string' ? ann.filename.trim() : '';
    const image = index.byRel.get(joinPath('JPEGImages', fileName)) ?? pick(index.byBase.get(fileName.toLowerCase())) ?? pick(index.byStem.get(stemOf(file)), 'JPEGImages');
    if (!image) {
      issues.push({ code: 'image-missing', severity: 'error', file, detail: `image ${fileName || stemOf(file)} is not in the archive` });
      continue;
    }
    let size = width > 0 && height > 0 ? { width, height } : undefined;
    if (!size) size = await source.imageSize(image);
    if (!size) {
      issues.push({ code: 'image-size-unknown', severity: 'error', file, detail: '<size> is missing and the image could not be read' });
      continue;
    }
    const split = sets.get(stemOf(file)) ?? 'train';
    const parsed = { path: image, fileName: baseName(image), width: size.width, height: size.height, split, boxes: [] as ParsedDataset['images'][number]['boxes'] };
    (ann?.object ?? []).forEach((o, i) => {
      const what = `object ${i + 1}`;
      const name = typeof o.name === 'string' ? o.name.trim() : '';
      const b = o.bndbox;
      const [xmin, ymin, xmax, ymax] = [b?.xmin, b?.ymin, b?.xmax, b?.ymax].map(Number) as [number, number, number, number];
      if (name === '' || ![xmin, ymin, xmax, ymax].every(Number.isFinite)) {
        issues.push({ code: 'malformed', severity: 'error', file, detail: `${what} needs <name> and a numeric <bndbox>` });
        return;
      }
      let sourceClass = classIndex.get(name);
      if (sourceClass === undefined) {
        sourceClass = out.classes.length;
        classIndex.set(name, sourceClass);
        out.classes.push({ name } satisfies SourceClass);
      }
      const box = { sourceClass, x1: xmin === 0 ? 0 : xmin - 1, y1: ymin === 0 ? 0 : ymin - 1, x2: xmax, y2: ymax };
      const kept = checkBox(box, size.width, size.height, { file, what }, issues);
      if (kept) parsed.boxes.push(kept);
    });
    out.images.push(parsed);
  }
  return out;
}
