/** Number and time formatting shared by both reports (pure). */

/** `0.9534` → `95.3%`. */
export function pct(v: number, digits = 1): string {
  return `${(v * 100).toFixed(digits)}%`;
}

/** Three decimals, the precision metrics are read at. */
export function fix3(v: number): string {
  return v.toFixed(3);
}

/** ISO timestamp → `2026-11-30 06:34` (UTC, as stored); `—` when absent. */
export function when(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Equal-width histogram of `values` into `bins` bins over [min, max].
 * Returns bin edges and counts; an empty input gives empty bins.
 */
export function histogram(values: readonly number[], bins: number): { edges: number[]; counts: number[] } {
  if (values.length === 0) return { edges: [], counts: [] };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const width = span / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const i = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  return { edges, counts };
}

/**
 * The dataset's source for the title blocks: the contestant's own, or the judges' standard
 * dataset with each import on its own line (file, format, when, photos and boxes).
 */
export function datasetSource(
  imports: readonly { fileName: string; format: string; at: string; photos: number; boxes: number }[],
  own: string,
): string {
  if (imports.length === 0) return own;
  const lines = imports.map((i) => `${i.fileName} (${i.format.toUpperCase()}) · ${when(i.at)} · ${i.photos} 张照片 photos / ${i.boxes} 框 boxes`);
  return ['裁判提供的标准数据集（导入） · Judges’ standard dataset (imported)', ...lines].join('\n');
}
