import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { tempDataDir } from '../test/harness.js';

describe('updates repo', () => {
  it('marks an update once and prunes old ones', () => {
    const d = tempDataDir();
    let t = 1_000_000;
    const store = openStore({ dataDir: d.dir, now: () => t });
    expect(store.updates.isSeen(5)).toBe(false);
    expect(store.updates.markSeen(5)).toBe(true);
    expect(store.updates.markSeen(5)).toBe(false);
    expect(store.updates.isSeen(5)).toBe(true);
    t += 3 * 24 * 3600_000;
    expect(store.updates.prune()).toBe(1);
    expect(store.updates.isSeen(5)).toBe(false);
    store.close();
    d.cleanup();
  });
});
