import type { Clock, Db } from './db-helpers.js';

/**
 * Telegram delivers updates at least once: a bot killed after handling an update but
 * before confirming its offset gets it again. The bot records each handled update here
 * and skips one it has seen.
 */
export interface UpdatesRepo {
  isSeen(updateId: number): boolean;
  /** Records a handled update; returns false when it was already recorded. */
  markSeen(updateId: number): boolean;
  /** Forgets updates older than `maxAgeMs` (Telegram keeps undelivered updates for 24 h). */
  prune(maxAgeMs?: number): number;
}

export function updatesRepo(db: Db, now: Clock): UpdatesRepo {
  const seenStmt = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM seen_updates WHERE update_id = ?');
  const markStmt = db.prepare('INSERT OR IGNORE INTO seen_updates (update_id, seen_at) VALUES (?, ?)');
  const pruneStmt = db.prepare('DELETE FROM seen_updates WHERE seen_at < ?');
  return {
    isSeen: (id) => seenStmt.get(id) !== undefined,
    markSeen: (id) => markStmt.run(id, now()).changes === 1,
    prune: (maxAgeMs = 48 * 3600_000) => pruneStmt.run(now() - maxAgeMs).changes,
  };
}
