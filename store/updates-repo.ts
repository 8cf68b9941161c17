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
  /**
   * Claims an update for handling by the bot process `boot`; returns false when it was
   * already claimed — unless that claim was by another boot (a process that has since
   * stopped: one bot polls at a time) and never finished ({@link markDone}): a crash
   * between the claim and the handler's work loses no press; the redelivered update is
   * handled again (handlers are idempotent: "Already confirmed.", an existing photo row).
   */
  markSeen(updateId: number, identity: string, boot?: string): boolean;
  /** Records that the update's handler finished (whatever it answered). */
  markDone(updateId: number, identity: string): void;
  /** Forgets updates older than `maxAgeMs` (Telegram keeps undelivered updates for 24 h). */
  prune(maxAgeMs?: number): number;
}

export function updatesRepo(db: Db, now: Clock): UpdatesRepo {
  const seenStmt = db.prepare<[number, string], { one: number }>(
    'SELECT 1 AS one FROM seen_updates WHERE update_id = ? AND identity = ?',
  );
  const markStmt = db.prepare<[number, string, number, string]>(
    `INSERT INTO seen_updates (update_id, identity, seen_at, boot) VALUES (?, ?, ?, ?)
     ON CONFLICT (update_id, identity) DO UPDATE SET boot = excluded.boot
     WHERE seen_updates.done_at IS NULL AND seen_updates.boot <> excluded.boot`,
  );
  const doneStmt = db.prepare<[number, number, string]>('UPDATE seen_updates SET done_at = ? WHERE update_id = ? AND identity = ?');
  const pruneStmt = db.prepare('DELETE FROM seen_updates WHERE seen_at < ?');
  return {
    isSeen: (id, identity) => seenStmt.get(id, identity) !== undefined,
    markSeen: (id, identity, boot = '') => markStmt.run(id, identity, now(), boot).changes === 1,
    markDone: (id, identity) => void doneStmt.run(now(), id, identity),
    prune: (maxAgeMs = 48 * 3600_000) => pruneStmt.run(now() - maxAgeMs).changes,
  };
}
