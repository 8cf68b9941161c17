import type { Clock, Db } from './db-helpers.js';

/**
 * Telegram delivers updates at least once: a bot killed after handling an update but
 * before confirming its offset gets it again. The bot records each handled update here
 * and skips one it has seen.
 *
 * An update is recognised by its id AND its identity (`bot/update-identity.ts`: kind,
 * chat, message id, date — never text), not by `update_id <= highest seen`: update ids do
 * not only grow. A Bot API server started afresh (the local emulator after a restart, an
 * independent server) begins again at 1, and Telegram itself picks a random next id after
 * a week without updates. A redelivery is the same update, so it matches both; a new update
 * that reuses an id does not.
 */
export interface UpdatesRepo {
  isSeen(updateId: number, identity: string): boolean;
  /** Records a handled update; returns false when it was already recorded. */
  markSeen(updateId: number, identity: string): boolean;
  /** Forgets updates older than `maxAgeMs` (Telegram keeps undelivered updates for 24 h). */
  prune(maxAgeMs?: number): number;
}

export function updatesRepo(db: Db, now: Clock): UpdatesRepo {
  const seenStmt = db.prepare<[number, string], { one: number }>(
    'SELECT 1 AS one FROM seen_updates WHERE update_id = ? AND identity = ?',
  );
  const markStmt = db.prepare('INSERT INTO seen_updates (update_id, identity, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const pruneStmt = db.prepare('DELETE FROM seen_updates WHERE seen_at < ?');
  return {
    isSeen: (id, identity) => seenStmt.get(id, identity) !== undefined,
    markSeen: (id, identity) => markStmt.run(id, identity, now()).changes === 1,
    prune: (maxAgeMs = 48 * 3600_000) => pruneStmt.run(now() - maxAgeMs).changes,
  };
}
