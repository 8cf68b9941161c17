import { baseName, extOf, isImagePath } from './paths.js';

/**
 * `/import` of loose documents: a dataset sent as several files (data.yaml + images +
 * label .txt files, a COCO json + images, VOC xml files + images) instead of one zip.
 * The bot collects them until "Done"; the import worker lays them out as a folder the
 * format readers know and imports them like an unpacked zip.
 */

export type LooseFileKind = 'image' | 'label' | 'classes' | 'yaml' | 'json' | 'xml';

/** Limits of one collection: the Bot API's download limit per file and the file count. */
export const LOOSE_LIMITS = {
  /** A bot can download at most 20 MB per file from the cloud Bot API (getFile). */
  maxFileBytes: 20 * 1024 * 1024,
  /** Past this, a zip is the way (and hundreds of replies would flood the chat). */
  maxFiles: 1000,
} as const;

/** What a document is by its name; `undefined` for a type no dataset format uses. */
export function looseFileKind(fileName: string): LooseFileKind | undefined {
  const name = baseName(fileName).toLowerCase();
  if (isImagePath(name)) return 'image';
  if (name === 'classes.txt') return 'classes';
  const ext = extOf(name);
  if (ext === '.txt') return 'label';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.xml') return 'xml';
  return undefined;
}

/**
 * A document's name as it is stored and laid out: the last path part only, no control
 * characters or separators, at most 120 characters (the extension kept). Never empty.
 */
export function safeLooseName(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const base = fileName.replace(/\\/g, '/').split('/').pop()!.replace(/[\u0000-\u001f\u007f:*?"<>|]/g, '_').replace(/^\.+/, '').trim();
  if (base.length <= 120) return base || 'file';
  const ext = extOf(base);
  return base.slice(0, 120 - ext.length) + ext;
}

/**
 * Where a loose document goes in the import folder, so the readers find it: images in
 * `images/`, YOLO labels in `labels/` (Ultralytics pairs `images/x.jpg` with
 * `labels/x.txt`), VOC xml in `Annotations/`, the rest (data.yaml, classes.txt, COCO json)
 * at the root. COCO and VOC find their images by base name.
 */
export function looseLayoutPath(kind: LooseFileKind, name: string): string {
  switch (kind) {
    case 'image':
      return `images/${name}`;
    case 'label':
      return `labels/${name}`;
    case 'xml':
      return `Annotations/${name}`;
    case 'classes':
    case 'yaml':
    case 'json':
      return name;
  }
}

/** Counts per kind of what was collected, for the running summary. */
export function looseCounts(names: readonly string[]): Record<LooseFileKind, number> {
  const counts: Record<LooseFileKind, number> = { image: 0, label: 0, classes: 0, yaml: 0, json: 0, xml: 0 };
  for (const n of names) {
    const k = looseFileKind(n);
    if (k) counts[k]++;
  }
  return counts;
}
