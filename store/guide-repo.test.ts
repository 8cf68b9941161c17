import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open-store.js';
import { GUIDE_MEMORY_KEEP } from './guide-repo.js';
import { addStation, tempDir } from './test-fixtures/temp-store.js';

/** The guide's state survives a restart: the clock, the milestones said and each chat's memory. */
describe('store.guide', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  let t = 5_000_000;
  const open = () => openStore({ dataDir: dir, now: () => t });
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    store = open();
    addStation(store, 'A01');
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('starts a clock once (a second /timer never restarts it) and keeps it across a restart', () => {
    const first = store.guide.startClock('A01', 120, 77, 'en');
    expect(first).toMatchObject({ kind: 'started', clock: { stationNo: 'A01', startedAt: 5_000_000, durationMin: 120, chatId: 77, lang: 'en', told: [] } });
    t += 60_000;
    expect(store.guide.startClock('A01', 90, 78, 'zh')).toMatchObject({ kind: 'running', clock: { startedAt: 5_000_000, durationMin: 120, chatId: 77 } });
    expect(store.guide.startClock('NOPE', 120, 1, 'zh')).toEqual({ kind: 'no-station' });
    store.close();
    store = open();
    expect(store.guide.clock('A01')).toMatchObject({ startedAt: 5_000_000, durationMin: 120 });
    expect(store.guide.clocks().map((c) => c.stationNo)).toEqual(['A01']);
  });

  it('marks a checkpoint and a milestone once', () => {
    store.guide.startClock('A01', 120, 77, 'en');
    expect(store.guide.markCheckpoint('A01', 60)).toBe(true);
    expect(store.guide.markCheckpoint('A01', 30)).toBe(true);
    expect(store.guide.markCheckpoint('A01', 60)).toBe(false);
    expect(store.guide.clock('A01')?.told).toEqual([30, 60]);
    expect(store.guide.markCheckpoint('A02', 30)).toBe(false);
    expect(store.guide.markMilestone('A01', 'combo:0')).toBe(true);
    expect(store.guide.markMilestone('A01', 'combo:0')).toBe(false);
    store.close();
    store = open();
    expect(store.guide.markMilestone('A01', 'combo:0')).toBe(false);
    expect(store.guide.milestones('A01')).toEqual(['combo:0']);
  });

  it('keeps the newest messages of each chat, bounded, across a restart', () => {
    for (let i = 0; i < GUIDE_MEMORY_KEEP + 5; i++) {
      t++;
      store.guide.remember(1, i % 2 ? 'assistant' : 'user', `m${i}`);
    }
    store.guide.remember(2, 'user', 'x'.repeat(5000));
    store.close();
    store = open();
    const m = store.guide.memory(1);
    expect(m).toHaveLength(GUIDE_MEMORY_KEEP);
    expect(m[0]?.text).toBe('m5');
    expect(m.at(-1)).toMatchObject({ role: 'user', text: `m${GUIDE_MEMORY_KEEP + 4}` });
    expect(store.guide.memory(2)[0]?.text.length).toBe(800);
  });
});
