import type { ExamConfig, ExamClass } from './exam-config.js';

/**
 * The capture plan: every combination of 1..maxComboSize classes, each with the
 * quota for its size. With 3 classes and quotas {1:10, 2:20, 3:10} that is
 * 3 + 3 + 1 combos and 30 + 60 + 10 = 100 photos.
 */

/** Canonical combo key: sorted class ids joined by '+', e.g. `0+2`. */
export type ComboKey = string;

export interface PlanItem {
  combo: ComboKey;
  classIds: number[];
  size: number;
  quota: number;
}

export interface PlanProgress extends PlanItem {
  captured: number;
  remaining: number;
  isFull: boolean;
}

export function comboKey(classIds: readonly number[]): ComboKey {
  return [...new Set(classIds)].sort((a, b) => a - b).join('+');
}

export function comboClassIds(combo: ComboKey): number[] {
  return combo.split('+').map(Number);
}

/** All k-subsets of `items`, in lexicographic order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const pick = (start: number, acc: T[]): void => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < items.length; i++) {
      acc.push(items[i] as T);
      pick(i + 1, acc);
      acc.pop();
    }
  };
  pick(0, []);
  return out;
}

/** Derives the plan from the config: singles first, then pairs, then triples. */
export function capturePlan(cfg: Pick<ExamConfig, 'classes' | 'quotas' | 'maxComboSize'>): PlanItem[] {
  const ids = cfg.classes.map((c) => c.id).sort((a, b) => a - b);
  const items: PlanItem[] = [];
  for (let size = 1; size <= Math.min(cfg.maxComboSize, ids.length); size++) {
    const quota = cfg.quotas[String(size)] ?? 0;
    if (quota <= 0) continue;
    for (const classIds of combinations(ids, size)) {
      items.push({ combo: comboKey(classIds), classIds, size, quota });
    }
  }
  return items;
}

export interface ProgressSummary {
  items: PlanProgress[];
  captured: number;
  total: number;
  /** The first combo still short of its quota, in plan order; undefined when all are full. */
  next: PlanProgress | undefined;
}

/** Progress against the plan; `counts` maps combo keys to accepted photos. Extra photos beyond a quota do not count. */
export function planProgress(plan: readonly PlanItem[], counts: ReadonlyMap<ComboKey, number>): ProgressSummary {
  const items = plan.map((p) => {
    const raw = counts.get(p.combo) ?? 0;
    const captured = Math.min(raw, p.quota);
    return { ...p, captured, remaining: p.quota - captured, isFull: captured >= p.quota };
  });
  return {
    items,
    captured: items.reduce((s, i) => s + i.captured, 0),
    total: items.reduce((s, i) => s + i.quota, 0),
    next: items.find((i) => !i.isFull),
  };
}

/** A text progress bar of `width` cells, e.g. `▓▓▓░░░░░░░`. */
export function progressBar(done: number, total: number, width = 10): string {
  const ratio = total > 0 ? Math.max(0, Math.min(1, done / total)) : 0;
  const full = Math.round(ratio * width);
  return '▓'.repeat(full) + '░'.repeat(width - full);
}

/** Human label of a combo: class names joined by '+'. */
export function comboLabel(combo: ComboKey, classes: readonly ExamClass[], lang: 'zh' | 'en'): string {
  return comboClassIds(combo)
    .map((id) => {
      const c = classes.find((x) => x.id === id);
      return c ? (lang === 'zh' ? c.zh : c.en) : `#${id}`;
    })
    .join(' + ');
}

/**
 * Reads a combo from free text (a photo caption): class keys, Chinese or English
 * names, or ids, separated by + ＋ , ， 、 & or "和". Returns undefined when the text
 * names no class, or names something that is not a class.
 */
export function parseCombo(text: string, classes: readonly ExamClass[]): ComboKey | undefined {
  const parts = text
    .split(/\s*(?:\+|＋|,|，|、|&|和|\band\b)\s*/i)
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length > 0);
  if (parts.length === 0) return undefined;
  const ids: number[] = [];
  for (const part of parts) {
    const cls = classes.find(
      (c) => c.key === part || c.zh.toLowerCase() === part || c.en.toLowerCase() === part || String(c.id) === part,
    );
    if (!cls) return undefined;
    ids.push(cls.id);
  }
  return comboKey(ids);
}
