import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { idCheckChar } from '../core/index.js';
import { sqliteDb } from './db-helpers.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations.js';
import { openDatabase, openStore } from './open-store.js';
import { tempDir } from './test-fixtures/temp-store.js';

/** ID numbers never sit in the database in clear, and DATA_DIR is private to its owner. */

const ID = '11010519900307123' + idCheckChar('11010519900307123');
const mode = (p: string) => statSync(p).mode & 0o777;
/** Every byte SQLite wrote: the database, its WAL and shared memory. */
const dbBytes = (dir: string) =>
  ['copilot.db', 'copilot.db-wal']
    .map((f) => {
      try {
        return readFileSync(path.join(dir, f)).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');

describe('ID numbers sealed, DATA_DIR private', () => {
  let cleanup = () => undefined as void;
  afterEach(() => cleanup());

  it('keeps no ID number in clear in copilot.db or its WAL, and decrypts only for the hand-in folder', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = openStore({ dataDir: t.dir });
    store.stations.create({ stationNo: 'A01', contestantName: '张三', idNumber: ID });
    const draftId = store.stations.sealId(ID);
    expect(draftId).not.toContain(ID);
    expect(store.stations.get('A01')).toMatchObject({ idMasked: '1101**********' + ID.slice(-4) });
    expect(store.stations.handinFolderName('A01')).toBe(`张三${ID}`);
    expect(dbBytes(t.dir)).not.toContain(ID);
    expect(mode(path.join(t.dir, 'id-key'))).toBe(0o600);
    store.close();
    // Another process on the same DATA_DIR reads it with the same key file.
    const again = openStore({ dataDir: t.dir });
    expect(again.stations.handinFolderName('A01')).toBe(`张三${ID}`);
    again.close();
  });

  it('seals the clear ID numbers (and registration drafts) of a database made before', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = openDatabase(t.dir);
    migrate(sqliteDb(db), MIGRATIONS.slice(0, 3), () => 1);
    db.prepare("INSERT INTO stations VALUES ('A01', '张三', ?, 1)").run(ID);
    db.prepare("INSERT INTO users (user_id, chat_id, wizard, created_at, updated_at) VALUES (5, 5, ?, 1, 1)").run(
      JSON.stringify({ step: 'reg.confirm', draft: { station: 'B02', name: '李四', id: ID } }),
    );
    db.close();
    expect(dbBytes(t.dir)).toContain(ID);

    const store = openStore({ dataDir: t.dir });
    expect(store.stations.handinFolderName('A01')).toBe(`张三${ID}`);
    expect(store.stations.get('A01')?.idMasked).toContain('**********');
    const draft = store.users.get(5)?.wizard?.draft as { id: string };
    expect(draft.id.startsWith('v1:')).toBe(true);
    expect(store.stations.create({ stationNo: 'B02', contestantName: '李四', idNumber: draft.id }).kind).toBe('created');
    expect(store.stations.handinFolderName('B02')).toBe(`李四${ID}`);
    store.transaction(() => undefined);
    store.close();
    const after = openDatabase(t.dir);
    after.pragma('wal_checkpoint(TRUNCATE)');
    after.exec('VACUUM');
    after.close();
    expect(dbBytes(t.dir)).not.toContain(ID);
  });

  it('makes DATA_DIR 0700 and the database files 0600, narrowing looser ones at start', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    chmodSync(t.dir, 0o755);
    const store = openStore({ dataDir: t.dir });
    store.stations.create({ stationNo: 'A01', contestantName: 'A', idNumber: ID });
    expect(mode(t.dir)).toBe(0o700);
    for (const f of ['copilot.db', 'copilot.db-wal', 'copilot.db-shm']) expect(mode(path.join(t.dir, f)), f).toBe(0o600);
    store.close();
    chmodSync(t.dir, 0o755);
    chmodSync(path.join(t.dir, 'copilot.db'), 0o644);
    openStore({ dataDir: t.dir }).close();
    expect(mode(t.dir)).toBe(0o700);
    expect(mode(path.join(t.dir, 'copilot.db'))).toBe(0o600);
  });

  it('refuses to open with a key that does not match the sealed ID numbers, saying how to fix it', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    openStore({ dataDir: t.dir, idKey: Buffer.alloc(32, 1) }).stations.create({ stationNo: 'A01', contestantName: 'A', idNumber: ID });
    const other = openStore({ dataDir: t.dir, idKey: Buffer.alloc(32, 2) });
    expect(() => other.stations.handinFolderName('A01')).toThrow(/id-key/);
    other.close();
  });
});
