import { immediate, type Clock, type Db } from './db-helpers.js';

/**
 * Answered calls of the invocation service, kept so the stage-two report can cite the
 * deployed service's measured latency (p50/p95) from real use rather than a bench.
 * Only the newest {@link KEEP_PER_STATION} calls of a station are kept.
 */

/** Calls kept per station; older ones are deleted as new ones arrive. */
export const KEEP_PER_STATION = 1000;

export interface NewInvocation {
  stationNo: string;
  runId: string;
  /** From the request reaching the service to the answer, ms. */
  totalMs: number;
  /** In the detector, ms. */
  inferenceMs: number;
}

export interface InvocationLatency {
  /** Calls measured. */
  count: number;
  p50TotalMs: number;
  p95TotalMs: number;
  p50InferenceMs: number;
  p95InferenceMs: number;
  /** First and last call measured, ms since the epoch. */
  from: number;
  to: number;
}

export interface InvocationsRepo {
  /** Records one answered call. */
  record(call: NewInvocation): void;
  /** Latency of the station's kept calls (of `runId` when given); undefined when none. */
  latency(stationNo: string, runId?: string): InvocationLatency | undefined;
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Builds the invocations repository. */
export function invocationsRepo(db: Db, now: Clock): InvocationsRepo {
  const insertStmt = db.prepare<[string, string, number, number, number], { id: number }>(
    'INSERT INTO invocations (station_no, run_id, at, total_ms, inference_ms) VALUES (?, ?, ?, ?, ?) RETURNING id',
  );
  const trimStmt = db.prepare<[string, string, number]>(
    `DELETE FROM invocations WHERE station_no = ? AND id < (
       SELECT id FROM invocations WHERE station_no = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  );
  const rowsStmt = db.prepare<[{ stationNo: string; runId: string | null }], { at: number; total_ms: number; inference_ms: number }>(
    'SELECT at, total_ms, inference_ms FROM invocations WHERE station_no = @stationNo AND (@runId IS NULL OR run_id = @runId)',
  );
  const record = immediate(db, (c: NewInvocation): void => {
    const id = insertStmt.get(c.stationNo, c.runId, now(), c.totalMs, c.inferenceMs)?.id ?? 0;
    // Trim now and then, not on every call: one indexed delete per 50 calls.
    if (id % 50 === 0) trimStmt.run(c.stationNo, c.stationNo, KEEP_PER_STATION - 1);
  });
  return {
    record,
    latency(stationNo, runId) {
      const rows = rowsStmt.all({ stationNo, runId: runId ?? null });
      if (rows.length === 0) return undefined;
      const total = rows.map((r) => r.total_ms).sort((a, b) => a - b);
      const inference = rows.map((r) => r.inference_ms).sort((a, b) => a - b);
      const at = rows.map((r) => r.at);
      return {
        count: rows.length,
        p50TotalMs: rank(total, 50),
        p95TotalMs: rank(total, 95),
        p50InferenceMs: rank(inference, 50),
        p95InferenceMs: rank(inference, 95),
        from: Math.min(...at),
        to: Math.max(...at),
      };
    },
  };
}
