import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { KEEP_PER_STATION } from './invocations-repo.js';
import { addStation, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.invocations', (engine) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => {
    ({ store, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
    addStation(store, 'S02');
  });
  afterEach(() => cleanup());

  it('gives nearest-rank p50/p95 per station and per run', () => {
    for (let i = 1; i <= 100; i++) store.invocations.record({ stationNo: 'S01', runId: i <= 60 ? 'S01-r1' : 'S01-r2', totalMs: i, inferenceMs: i / 2 });
    store.invocations.record({ stationNo: 'S02', runId: 'S02-r1', totalMs: 999, inferenceMs: 9 });
    expect(store.invocations.latency('S01')).toMatchObject({ count: 100, p50TotalMs: 50, p95TotalMs: 95, p50InferenceMs: 25, p95InferenceMs: 47.5 });
    expect(store.invocations.latency('S01', 'S01-r2')).toMatchObject({ count: 40, p50TotalMs: 80, p95TotalMs: 98 });
    expect(store.invocations.latency('S02')?.p95TotalMs).toBe(999);
    expect(store.invocations.latency('S01', 'S01-r9')).toBeUndefined();
  });

  it(`keeps only about the newest ${KEEP_PER_STATION} calls of a station`, () => {
    for (let i = 0; i < KEEP_PER_STATION + 200; i++) store.invocations.record({ stationNo: 'S01', runId: 'S01-r1', totalMs: i, inferenceMs: 1 });
    const l = store.invocations.latency('S01');
    expect(l?.count).toBeLessThanOrEqual(KEEP_PER_STATION + 50);
    expect(l?.count).toBeGreaterThanOrEqual(KEEP_PER_STATION);
    // The oldest went first.
    expect(l?.p50TotalMs).toBeGreaterThan(600);
  });
});
