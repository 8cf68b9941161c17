import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDb, type Db } from './db-helpers.js';
import { migrate, readVersion } from './migrate.js';

describe('migrate', () => {
  let db: Db;
  beforeEach(() => {
    db = sqliteDb(new Database(':memory:'));
  });
  afterEach(() => db.close());

  it('applies pending migrations in order and records each version', () => {
    expect(readVersion(db)).toBeUndefined();
    expect(migrate(db, ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)'], () => 5)).toBe(2);
    expect(db.prepare('SELECT version, applied_at FROM migrations ORDER BY version').all()).toEqual([
      { version: 1, applied_at: 5 },
      { version: 2, applied_at: 5 },
    ]);
    // Adding a migration later applies only the new one.
    expect(migrate(db, ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)', 'CREATE TABLE c (z)'], () => 6)).toBe(3);
  });

  it('runs each migration in its own transaction: a failing one leaves earlier ones applied and itself rolled back', () => {
    const broken = ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)'];
    expect(() => migrate(db, broken, () => 1)).toThrow(/no such table: nowhere/);
    expect(readVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();

    expect(migrate(db, ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)'], () => 1)).toBe(2);
  });
});
