import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { immediate, type Clock, type Db } from './db-helpers.js';

/**
 * API keys of the invocation service: one per station, so a contestant's key calls
 * only their own deployed model. The clear key exists only in the value `issue`
 * returns (shown once in the chat); the database keeps its sha256, so a copied
 * database file grants nothing.
 *
 * Key format: `tc_<station>_<43 chars of base64url>` (32 random bytes). The station
 * in the key lets a reader of a log line or a curl command see whose key it is; it
 * grants nothing by itself (the check compares the whole key's hash).
 */

/** Random bytes in a key: 256 bits, beyond guessing. */
export const API_KEY_BYTES = 32;
/** Characters of the secret part shown in `prefix` (enough to tell two keys apart). */
const PREFIX_SECRET_CHARS = 4;

export type IssueKeyResult =
  /** `key` is the clear key: show it once, it cannot be read back. */
  | { kind: 'issued'; key: string; prefix: string; createdAt: number; replaced: boolean }
  | { kind: 'no-station' };

/** What is known about a station's key without the key itself. */
export interface ApiKeyInfo {
  stationNo: string;
  /** E.g. `tc_A01_Xy3k…`: the start of the key, to tell which one is current. */
  prefix: string;
  createdAt: number;
}

export interface ApiKeysRepo {
  /**
   * Makes a new key for the station, replacing (revoking) any earlier one.
   * `no-station` when the station does not exist.
   */
  issue(stationNo: string): IssueKeyResult;
  /**
   * True when `key` is the station's current key. Compares sha256 digests in
   * constant time; never throws on malformed input.
   */
  verify(stationNo: string, key: string): boolean;
  /** The station's key, without its secret; `undefined` when none was issued. */
  info(stationNo: string): ApiKeyInfo | undefined;
  /** Deletes the station's key (the service then refuses every call); true when one existed. */
  revoke(stationNo: string): boolean;
}

interface KeyRow {
  station_no: string;
  key_hash: Buffer;
  prefix: string;
  created_at: number;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Longest key text worth hashing; anything longer cannot be ours. */
const MAX_KEY_CHARS = 128;

/** Builds the API keys repository. */
export function apiKeysRepo(db: Db, now: Clock): ApiKeysRepo {
  const stationStmt = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM stations WHERE station_no = ?');
  const getStmt = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE station_no = ?');
  const upsertStmt = db.prepare<[string, Buffer, string, number]>(
    `INSERT INTO api_keys (station_no, key_hash, prefix, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(station_no) DO UPDATE SET key_hash = excluded.key_hash, prefix = excluded.prefix, created_at = excluded.created_at`,
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM api_keys WHERE station_no = ?');

  const issue = immediate(db, (stationNo: string): IssueKeyResult => {
    if (!stationStmt.get(stationNo)) return { kind: 'no-station' };
    const replaced = getStmt.get(stationNo) !== undefined;
    const secret = randomBytes(API_KEY_BYTES).toString('base64url');
    const key = `tc_${stationNo}_${secret}`;
    const prefix = `tc_${stationNo}_${secret.slice(0, PREFIX_SECRET_CHARS)}…`;
    const createdAt = now();
    upsertStmt.run(stationNo, sha256(key), prefix, createdAt);
    return { kind: 'issued', key, prefix, createdAt, replaced };
  });

  return {
    issue,
    verify(stationNo, key) {
      if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_CHARS) return false;
      const row = getStmt.get(stationNo);
      if (!row || row.key_hash.length !== 32) return false;
      return timingSafeEqual(sha256(key), row.key_hash);
    },
    info(stationNo) {
      const row = getStmt.get(stationNo);
      return row && { stationNo: row.station_no, prefix: row.prefix, createdAt: row.created_at };
    },
    revoke: (stationNo) => deleteStmt.run(stationNo).changes > 0,
  };
}
