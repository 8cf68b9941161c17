/** One measured figure, as written to `bench/results/NAME.json`. */
export interface Metric {
  metric: string;
  value: number;
  unit: string;
  /** The budget from DESIGN.md or the issue, in the same unit, when there is one. */
  budget?: number;
  /** Whether `value` is within `budget` (lower is better unless `higherIsBetter`). */
  ok?: boolean;
}

/** A metric with its budget verdict filled in. */
export function metric(name: string, value: number, unit: string, budget?: number, higherIsBetter = false): Metric {
  const m: Metric = { metric: name, value: round(value), unit };
  if (budget !== undefined) {
    m.budget = budget;
    m.ok = higherIsBetter ? value >= budget : value <= budget;
  }
  return m;
}

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v * 10) / 10 : Math.round(v * 1000) / 1000;
}

/** Percentile (0–100) of a sample, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** A bench: a name and a function that measures and returns its metrics. */
export interface Bench {
  name: string;
  description: string;
  run(): Promise<Metric[]>;
}
