import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions, pgRows } from '../test/postgres.js';
import { databasePath } from './layout.js';
import type { Store } from './open-store.js';
import { addStation, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.apiKeys', (engine) => {
  let store: Store;
  let dataDir: string;
  let cleanup: () => void;
  let options: ReturnType<typeof engineOptions>;
  beforeEach(() => {
    options = engineOptions(engine);
    ({ store, dataDir, cleanup } = tempStore(options));
    addStation(store, 'S01');
    addStation(store, 'S-02');
  });
  afterEach(() => cleanup());

  it('issues tc_<station>_<43 base64url chars> once and verifies only that key for that station', () => {
    const r = store.apiKeys.issue('S01');
    if (r.kind !== 'issued') throw new Error(r.kind);
    expect(r.key).toMatch(/^tc_S01_[A-Za-z0-9_-]{43}$/);
    expect(r.replaced).toBe(false);
    expect(r.prefix).toBe(`${r.key.slice(0, 'tc_S01_'.length + 4)}…`);
    expect(store.apiKeys.verify('S01', r.key)).toBe(true);
    expect(store.apiKeys.verify('S-02', r.key)).toBe(false);
    expect(store.apiKeys.verify('S01', `${r.key}x`)).toBe(false);
    expect(store.apiKeys.verify('S01', r.key.slice(0, -1))).toBe(false);
    expect(store.apiKeys.verify('S01', '')).toBe(false);
    expect(store.apiKeys.verify('S01', 'x'.repeat(10_000))).toBe(false);
    expect(store.apiKeys.info('S01')).toEqual({ stationNo: 'S01', prefix: r.prefix, createdAt: r.createdAt });
  });

  it('keeps only the sha256 of the key in the database', async () => {
    const r = store.apiKeys.issue('S-02');
    if (r.kind !== 'issued') throw new Error(r.kind);
    let row: Record<string, unknown> | undefined;
    if (engine === 'postgres') {
      row = (await pgRows(options, 'SELECT * FROM api_keys'))[0];
    } else {
      const db = new Database(databasePath(dataDir), { readonly: true });
      try {
        row = db.prepare('SELECT * FROM api_keys').get() as Record<string, unknown>;
      } finally {
        db.close();
      }
    }
    expect(JSON.stringify(row)).not.toContain(r.key.slice(7));
    expect(row?.key_hash).toEqual(createHash('sha256').update(r.key).digest());
  });

  it('re-issuing replaces the key: the old one stops working', () => {
    const a = store.apiKeys.issue('S01');
    const b = store.apiKeys.issue('S01');
    if (a.kind !== 'issued' || b.kind !== 'issued') throw new Error('not issued');
    expect(b.replaced).toBe(true);
    expect(b.key).not.toBe(a.key);
    expect(store.apiKeys.verify('S01', a.key)).toBe(false);
    expect(store.apiKeys.verify('S01', b.key)).toBe(true);
  });

  it('refuses an unknown station, and revoking leaves no working key', () => {
    expect(store.apiKeys.issue('NOPE')).toEqual({ kind: 'no-station' });
    expect(store.apiKeys.verify('NOPE', 'tc_NOPE_x')).toBe(false);
    const r = store.apiKeys.issue('S01');
    if (r.kind !== 'issued') throw new Error(r.kind);
    expect(store.apiKeys.revoke('S01')).toBe(true);
    expect(store.apiKeys.revoke('S01')).toBe(false);
    expect(store.apiKeys.verify('S01', r.key)).toBe(false);
    expect(store.apiKeys.info('S01')).toBeUndefined();
  });
});
