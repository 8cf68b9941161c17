import { sqlList, type Db } from './db-helpers.js';
import { toPhoto, type PhotoRow } from './photo-row.js';
import { ACCEPTED_STATUSES, type Photo, type PhotoStatus } from './types.js';

/** Counts of a station's photos, for /clean and the plan. */
export interface PhotoSummary {
  total: number;
  /** Every status is present, 0 when none. */
  byStatus: Record<PhotoStatus, number>;
  /** Rejected photos per reason. */
  byRejectReason: Record<string, number>;
}

export interface ListPhotosOptions {
  status?: PhotoStatus | readonly PhotoStatus[];
  limit?: number;
  offset?: number;
}

/** Read-only photo queries (part of `store.photos`). */
export interface PhotoQueries {
  /** Accepted photos (clean/prelabeled/confirmed/reviewed) per combo key. */
  countByCombo(stationNo: string): Map<string, number>;
  /** Oldest accepted photo of the station with this SHA-256, for exact-duplicate checks. */
  findBySha(stationNo: string, sha256: string): Photo | undefined;
  /** Perceptual hashes of accepted photos, for near-duplicate checks. */
  listPhashes(stationNo: string): Array<{ id: number; phash: string }>;
  /** Photos oldest first, optionally filtered by status and paged. */
  list(stationNo: string, options?: ListPhotosOptions): Photo[];
  summary(stationNo: string): PhotoSummary;
  /** Oldest photo still waiting for the user's confirmation (prelabeled or clean). */
  nextToConfirm(stationNo: string): Photo | undefined;
}

const ACCEPTED = sqlList(ACCEPTED_STATUSES);
const ALL_STATUSES: readonly PhotoStatus[] = ['received', 'clean', 'rejected', 'prelabeled', 'confirmed', 'reviewed'];

/** Builds the photo read queries over an open, migrated database. */
export function photoQueries(db: Db): PhotoQueries {
  const byComboStmt = db.prepare<[string], { combo: string; n: number }>(
    `SELECT combo, COUNT(*) AS n FROM photos WHERE station_no = ? AND status IN (${ACCEPTED}) GROUP BY combo`,
  );
  const byShaStmt = db.prepare<[string, string], PhotoRow>(
    `SELECT * FROM photos WHERE station_no = ? AND sha256 = ? AND status IN (${ACCEPTED}) ORDER BY id LIMIT 1`,
  );
  const phashStmt = db.prepare<[string], { id: number; phash: string }>(
    `SELECT id, phash FROM photos WHERE station_no = ? AND phash IS NOT NULL AND status IN (${ACCEPTED}) ORDER BY id`,
  );
  const listStmt = db.prepare<[{ stationNo: string; statuses: string | null; limit: number; offset: number }], PhotoRow>(
    `SELECT * FROM photos WHERE station_no = @stationNo
       AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
     ORDER BY id LIMIT @limit OFFSET @offset`,
  );
  const byStatusStmt = db.prepare<[string], { status: PhotoStatus; n: number }>(
    'SELECT status, COUNT(*) AS n FROM photos WHERE station_no = ? GROUP BY status',
  );
  const byReasonStmt = db.prepare<[string], { reason: string; n: number }>(
    `SELECT reject_reason AS reason, COUNT(*) AS n FROM photos
     WHERE station_no = ? AND status = 'rejected' GROUP BY reject_reason`,
  );
  const nextStmt = db.prepare<[string], PhotoRow>(
    `SELECT * FROM photos WHERE station_no = ? AND status IN ('prelabeled', 'clean') ORDER BY id LIMIT 1`,
  );

  return {
    countByCombo(stationNo) {
      return new Map(byComboStmt.all(stationNo).map((r) => [r.combo, r.n]));
    },
    findBySha(stationNo, sha256) {
      const row = byShaStmt.get(stationNo, sha256);
      return row && toPhoto(row);
    },
    listPhashes(stationNo) {
      return phashStmt.all(stationNo);
    },
    list(stationNo, options = {}) {
      const { status, limit = Number.MAX_SAFE_INTEGER, offset = 0 } = options;
      const statuses = status === undefined ? null : JSON.stringify(typeof status === 'string' ? [status] : status);
      return listStmt.all({ stationNo, statuses, limit, offset }).map(toPhoto);
    },
    summary(stationNo) {
      const byStatus = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<PhotoStatus, number>;
      let total = 0;
      for (const r of byStatusStmt.all(stationNo)) {
        byStatus[r.status] = r.n;
        total += r.n;
      }
      const byRejectReason: Record<string, number> = {};
      for (const r of byReasonStmt.all(stationNo)) byRejectReason[r.reason] = r.n;
      return { total, byStatus, byRejectReason };
    },
    nextToConfirm(stationNo) {
      const row = nextStmt.get(stationNo);
      return row && toPhoto(row);
    },
  };
}
