import { expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { tempDataDir } from '../test/harness.js';
import { describeEngines, engineOptions } from '../test/postgres.js';

describeEngines('updates repo', (engine) => {
  it('marks an update once and prunes old ones', () => {
    const d = tempDataDir();
    let t = 1_000_000;
    const store = openStore({ dataDir: d.dir, now: () => t, ...engineOptions(engine) });
    expect(store.updates.isSeen(5, 'a')).toBe(false);
    expect(store.updates.markSeen(5, 'a')).toBe(true);
    expect(store.updates.markSeen(5, 'a')).toBe(false);
    expect(store.updates.isSeen(5, 'a')).toBe(true);
    t += 3 * 24 * 3600_000;
    expect(store.updates.prune()).toBe(1);
    expect(store.updates.isSeen(5, 'a')).toBe(false);
    store.close();
    d.cleanup();
  });

  it('hands an unfinished claim of a crashed process to the next one, never a finished one or its own', () => {
    const d = tempDataDir();
    const store = openStore({ dataDir: d.dir, now: () => 1_000, ...engineOptions(engine) });
    expect(store.updates.markSeen(7, 'cb:1:2', 'boot-a')).toBe(true);
    expect(store.updates.markSeen(7, 'cb:1:2', 'boot-a')).toBe(false); // the same process: a redelivery while handling
    expect(store.updates.markSeen(7, 'cb:1:2', 'boot-b')).toBe(true); // boot-a died before finishing
    store.updates.markDone(7, 'cb:1:2');
    expect(store.updates.markSeen(7, 'cb:1:2', 'boot-c')).toBe(false); // finished: never again
    store.close();
    d.cleanup();
  });

  it('takes a reused update id with another identity as a new update (a restarted Bot API server)', () => {
    const d = tempDataDir();
    const store = openStore({ dataDir: d.dir, now: () => 1_000, ...engineOptions(engine) });
    for (let id = 1; id <= 50; id++) expect(store.updates.markSeen(id, `message:1:${id}:100`)).toBe(true);
    expect(store.updates.markSeen(1, 'message:1:51:200')).toBe(true);
    expect(store.updates.markSeen(1, 'message:1:51:200')).toBe(false);
    store.close();
    d.cleanup();
  });
});
