import { sqlList, type Db } from './db-helpers.js';
import { toPhoto, type PhotoRow } from './photo-row.js';
import { ACCEPTED_STATUSES, type Photo } from './types.js';

/** Queries the ingest worker needs beyond the photos repository. */
export interface IngestQueries {
  /** An accepted photo with these bytes at another station (copying another station's photo). */
  findShaElsewhere(stationNo: string, sha256: string): { stationNo: string; id: number } | undefined;
  /**
   * The accepted photo of another station whose perceptual hash is nearest to `phash`,
   * if within `maxDistance` bits (a re-encoded copy of another station's photo).
   */
  findPhashElsewhere(
    stationNo: string,
    phash: string,
    maxDistance: number,
    hamming: (a: string, b: string) => number,
  ): { stationNo: string; id: number; distance: number } | undefined;
  /** A station whose photo already has this Telegram file (forwarded from another station's chat). */
  findFileElsewhere(stationNo: string, tgFileUniqueId: string): { stationNo: string } | undefined;
  /** Album items: how many were received, and how many are inspected (not `received` any more). */
  albumProgress(stationNo: string, mediaGroupId: string): { received: number; done: number };
  /**
   * Claims the inspected, not yet summarised photos of an album for one summary message
   * (marks them with preview_message_id 0); each photo is claimed once.
   */
  claimAlbum(stationNo: string, mediaGroupId: string): Photo[];
  /** Photos still waiting for ingest, oldest first (the recovery sweep re-enqueues them); only those received before `before` (ms) when given. */
  listReceived(limit?: number, before?: number): Photo[];
}

const ACCEPTED = sqlList(ACCEPTED_STATUSES);
/** How far before the newest change seen each phash sync re-reads (clock skew, late commits). */
const HASH_SYNC_MARGIN_MS = 10_000;

export function ingestQueries(db: Db): IngestQueries {
  const shaElsewhere = db.prepare<[string, string], { station_no: string; id: number }>(
    `SELECT station_no, id FROM photos WHERE sha256 = ? AND station_no <> ? AND status IN (${ACCEPTED}) ORDER BY id LIMIT 1`,
  );
  // Every accepted photo's phash, kept in memory and brought up to date from the rows changed
  // since the last call (photos.updated_at moves with every status or hash change), so a
  // photo is compared with the whole hall's without reading the whole table each time: a
  // hall of 100 stations ends the exam with ~10 000 photos.
  const changedSince = db.prepare<[number], { id: number; station_no: string; phash: string | null; status: string; updated_at: number }>(
    'SELECT id, station_no, phash, status, updated_at FROM photos WHERE updated_at >= ?',
  );
  const accepted = new Set<string>(ACCEPTED_STATUSES);
  const hashes = new Map<number, { stationNo: string; phash: string }>();
  let syncedTo = HASH_SYNC_MARGIN_MS; // the first sync reads every row (updated_at ≥ 0)
  const syncHashes = (): void => {
    // Re-read a margin before the newest change seen: rows written by other processes whose
    // clocks are a little behind, or committed a little later, are not missed.
    for (const r of changedSince.iterate(syncedTo - HASH_SYNC_MARGIN_MS)) {
      if (r.phash !== null && accepted.has(r.status)) hashes.set(r.id, { stationNo: r.station_no, phash: r.phash });
      else hashes.delete(r.id);
      if (r.updated_at > syncedTo) syncedTo = r.updated_at;
    }
  };
  const fileElsewhere = db.prepare<[string, string], { station_no: string }>(
    'SELECT station_no FROM photos WHERE tg_file_unique_id = ? AND station_no <> ? ORDER BY id LIMIT 1',
  );
  const album = db.prepare<[string, string], { received: number; done: number }>(
    `SELECT COUNT(*) AS received, COALESCE(SUM(CASE WHEN status <> 'received' THEN 1 ELSE 0 END), 0) AS done
     FROM photos WHERE station_no = ? AND media_group_id = ?`,
  );
  const claim = db.prepare<[string, string], PhotoRow>(
    `UPDATE photos SET preview_message_id = 0
     WHERE station_no = ? AND media_group_id = ? AND status <> 'received' AND preview_message_id IS NULL
     RETURNING *`,
  );
  const received = db.prepare<[number, number], PhotoRow>(
    `SELECT * FROM photos WHERE status = 'received' AND created_at < ? ORDER BY id LIMIT ?`,
  );
  return {
    findShaElsewhere(stationNo, sha256) {
      const r = shaElsewhere.get(sha256, stationNo);
      return r && { stationNo: r.station_no, id: r.id };
    },
    findPhashElsewhere(stationNo, phash, maxDistance, hamming) {
      syncHashes();
      let best: { stationNo: string; id: number; distance: number } | undefined;
      for (const [id, r] of hashes) {
        if (r.stationNo === stationNo) continue;
        const distance = hamming(r.phash, phash);
        if (distance <= maxDistance && (!best || distance < best.distance || (distance === best.distance && id < best.id))) best = { stationNo: r.stationNo, id, distance };
      }
      return best;
    },
    findFileElsewhere(stationNo, uniqueId) {
      const r = fileElsewhere.get(uniqueId, stationNo);
      return r && { stationNo: r.station_no };
    },
    albumProgress: (stationNo, groupId) => album.get(stationNo, groupId) ?? { received: 0, done: 0 },
    claimAlbum: (stationNo, groupId) => claim.all(stationNo, groupId).map(toPhoto).sort((a, b) => a.id - b.id),
    listReceived: (limit = 1000, before = Number.MAX_SAFE_INTEGER) => received.all(before, limit).map(toPhoto),
  };
}
