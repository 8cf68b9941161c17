import type { DatasetClass, DatasetImage, DatasetIssue, ParsedDataset, SourceClass } from './types.js';

/** Case-, width- and separator-insensitive form of a class name (`Pressure-Gauge` = `pressure_gauge`). */
export function normaliseClassName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, '');
}

export interface UnmatchedClass {
  /** Index into the parsed dataset's `classes`. */
  index: number;
  source: SourceClass;
  /** The exam class with the same id, offered first on the button step (never applied silently). */
  suggestedId?: number;
}

export interface ClassMapping {
  /** Source class index → exam class id. */
  map: Map<number, number>;
  unmatched: UnmatchedClass[];
  /** How each match was made, for the confirmation message. */
  how: Map<number, 'name' | 'id' | 'chosen'>;
}

/**
 * Maps a dataset's classes to the exam's: by name (key, zh or en, ignoring case, width
 * and separators), then by id when the source has no real name (a bare number such as
 * YOLO's `0`); anything else is returned unmatched with the same-id exam class as a
 * suggestion, for the user to decide. `chosen` carries the user's decisions (exam id, or
 * null = drop that class) and wins over everything.
 */
export function mapClasses(source: readonly SourceClass[], exam: readonly DatasetClass[], chosen: ReadonlyMap<number, number | null> = new Map()): ClassMapping {
  const byName = new Map<string, number>();
  for (const c of exam) for (const n of [c.key, c.zh, c.en]) byName.set(normaliseClassName(n), c.id);
  const examIds = new Set(exam.map((c) => c.id));
  const out: ClassMapping = { map: new Map(), unmatched: [], how: new Map() };
  source.forEach((s, index) => {
    if (chosen.has(index)) {
      const id = chosen.get(index);
      if (id !== null && id !== undefined && examIds.has(id)) {
        out.map.set(index, id);
        out.how.set(index, 'chosen');
      }
      return;
    }
    const byN = byName.get(normaliseClassName(s.name));
    if (byN !== undefined) {
      out.map.set(index, byN);
      out.how.set(index, 'name');
      return;
    }
    const idLike = /^\s*\d+\s*$/.test(s.name) ? Number(s.name) : undefined;
    const sameId = s.id !== undefined && examIds.has(s.id) ? s.id : undefined;
    if (idLike !== undefined && examIds.has(idLike)) {
      out.map.set(index, idLike);
      out.how.set(index, 'id');
      return;
    }
    out.unmatched.push({ index, source: s, ...(sameId !== undefined ? { suggestedId: sameId } : {}) });
  });
  return out;
}

/**
 * The parsed dataset in the exam's classes, ready to save. Boxes of classes left
 * unmapped are dropped and each drop is named (one issue per class, with the count).
 */
export function applyClassMapping(parsed: ParsedDataset, mapping: ClassMapping): { images: DatasetImage[]; issues: DatasetIssue[] } {
  const dropped = new Map<number, number>();
  const images = parsed.images.map((img) => ({
    fileName: img.fileName,
    width: img.width,
    height: img.height,
    split: img.split,
    boxes: img.boxes.flatMap((b) => {
      const classId = mapping.map.get(b.sourceClass);
      if (classId === undefined) {
        dropped.set(b.sourceClass, (dropped.get(b.sourceClass) ?? 0) + 1);
        return [];
      }
      return [{ classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }];
    }),
  }));
  const issues: DatasetIssue[] = [...dropped].map(([index, count]) => ({
    code: 'unknown-class',
    severity: 'error',
    detail: `class ${JSON.stringify(parsed.classes[index]?.name ?? index)} is not an exam class: ${count} box(es) left out`,
  }));
  return { images, issues };
}
