import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openDatabase, openStore } from './open-store.js';
import { tempDir } from './test-fixtures/temp-store.js';

describe('openStore', () => {
  let cleanup: () => void = () => undefined;
  afterEach(() => cleanup());

  it('creates DATA_DIR and copilot.db with WAL, busy timeout 5000, foreign keys and synchronous=NORMAL', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const dataDir = path.join(tmp.dir, 'nested', 'data');
    const db = openDatabase(dataDir);
    try {
      expect(existsSync(path.join(dataDir, 'copilot.db'))).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    } finally {
      db.close();
    }
  });

  it('enforces foreign keys through the store', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const store = openStore({ dataDir: tmp.dir });
    // Foreign keys are on: a user cannot be bound to a missing station.
    store.users.upsert({ userId: 1, chatId: 1 });
    expect(() => store.users.bindStation(1, 'NOPE', 'contestant')).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it('re-opens an existing database without re-running migrations and keeps data', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const a = openStore({ dataDir: tmp.dir });
    expect(a.schemaVersion).toBe(MIGRATIONS.length);
    a.stations.create({ stationNo: 'S01', contestantName: 'A', idNumber: 'X' });
    const b = openStore({ dataDir: tmp.dir }); // while `a` is still open
    expect(b.schemaVersion).toBe(MIGRATIONS.length);
    a.close();
    b.close();
    const c = openStore({ dataDir: tmp.dir });
    expect(c.stations.list().map((s) => s.stationNo)).toEqual(['S01']);
    c.close();

    const db = new Database(path.join(tmp.dir, 'copilot.db'));
    const versions = db.prepare('SELECT version FROM migrations ORDER BY version').pluck().all();
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses a database newer than the code', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    openStore({ dataDir: tmp.dir }).close();
    const db = new Database(path.join(tmp.dir, 'copilot.db'));
    db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, 0)').run(MIGRATIONS.length + 1);
    db.close();
    expect(() => openStore({ dataDir: tmp.dir })).toThrow(/newer than this code/);
  });
});
