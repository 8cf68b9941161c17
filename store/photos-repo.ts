import { immediate, sqlList, type Clock, type Db } from './db-helpers.js';
import { toPhoto, type PhotoRow } from './photo-row.js';
import { photoQueries, type PhotoQueries } from './photo-queries.js';
import { ACCEPTED_STATUSES, REMOVED_BY_USER, type CompleteFields, type Photo, type PhotoSource, type PhotoStatus } from './types.js';

/** What the bot knows about an upload when it arrives. */
export interface ReceivePhoto {
  stationNo: string;
  tgFileId: string;
  /** Telegram's stable id of the file: the idempotency key together with the station. */
  tgFileUniqueId: string;
  source: PhotoSource;
  mediaGroupId: string | null;
  chatId: number;
  messageId: number;
  /** Canonical combo key, e.g. `0+2`. */
  combo: string;
}

/** `new` the first time a (station, file) pair is seen, `existing` on every repeat. */
export type ReceiveResult = { kind: 'new'; photo: Photo } | { kind: 'existing'; photo: Photo };

/** `applied` exactly once per photo; `already` when inspection results were written before. */
export type CompleteResult = { kind: 'applied'; photo: Photo } | { kind: 'already'; photo: Photo } | { kind: 'not-found' };

export type RestoreResult =
  | { kind: 'restored'; photo: Photo }
  | { kind: 'not-rejected'; photo: Photo }
  /** Rejected before a cleaned image existed (e.g. undecodable): nothing to restore. */
  | { kind: 'no-image'; photo: Photo }
  | { kind: 'not-found' };

export type RemoveResult = { kind: 'removed'; photo: Photo } | { kind: 'not-accepted'; photo: Photo } | { kind: 'not-found' };

/** Photos repository: intake, inspection outcome, user keep/discard, and read models. */
export interface PhotosRepo extends PhotoQueries {
  /** Records an upload; idempotent on (station, tgFileUniqueId), so a re-sent update or file never duplicates. */
  receive(input: ReceivePhoto): ReceiveResult;
  get(id: number): Photo | undefined;
  /** The photo only when it belongs to `stationNo`: refuses ids forged into another station's buttons. */
  getForStation(stationNo: string, id: number): Photo | undefined;
  /** Writes inspection results and clean/rejected in one transaction, only while the photo is 'received'. */
  complete(id: number, fields: CompleteFields): CompleteResult;
  /**
   * Moves a non-rejected photo to `status`; with `from`, only when its status is one of
   * those (compare-and-set). `undefined` when missing, rejected or not in `from`.
   * Rejecting goes through `complete` or `remove`, which record a reason.
   */
  setStatus(id: number, status: Exclude<PhotoStatus, 'rejected'>, from?: readonly PhotoStatus[]): Photo | undefined;
  /** Remembers the chat message that shows the photo's preview. */
  setPreviewMessageId(id: number, messageId: number | null): Photo | undefined;
  /** Moves an accepted photo to another combo (the caller checks the quota in the same transaction). */
  setCombo(id: number, combo: string): Photo | undefined;
  /**
   * Undoes a rejection (cleaning's or the user's). The photo returns to 'confirmed' when
   * it has a confirmed label, 'prelabeled' when it has a proposal, else 'clean'.
   * Pass `imagePath` when the file was moved back from `rejected/`.
   */
  restore(id: number, opts?: { imagePath?: string }): RestoreResult;
  /**
   * A photo whose ingest failed for good (rejected, reason `processing-failed`) goes back
   * to 'received' so its job can run again. `undefined` when it is not such a photo.
   */
  retryFailed(id: number): Photo | undefined;
  /** The user discards an accepted photo: rejected with reason 'removed-by-user'. */
  remove(id: number): RemoveResult;
}

const ACCEPTED = sqlList(ACCEPTED_STATUSES);

/** Builds the photos repository over an open, migrated database. */
export function photosRepo(db: Db, now: Clock): PhotosRepo {
  const getStmt = db.prepare<[number], PhotoRow>('SELECT * FROM photos WHERE id = ?');
  const getForStationStmt = db.prepare<[number, string], PhotoRow>('SELECT * FROM photos WHERE id = ? AND station_no = ?');
  const byKeyStmt = db.prepare<[string, string], PhotoRow>(
    'SELECT * FROM photos WHERE station_no = ? AND tg_file_unique_id = ?',
  );
  const insertStmt = db.prepare<[ReceivePhoto & { now: number }], PhotoRow>(
    `INSERT INTO photos (station_no, tg_file_id, tg_file_unique_id, source, media_group_id, chat_id, message_id,
                         combo, status, created_at, updated_at)
     VALUES (@stationNo, @tgFileId, @tgFileUniqueId, @source, @mediaGroupId, @chatId, @messageId,
             @combo, 'received', @now, @now)
     ON CONFLICT (station_no, tg_file_unique_id) DO NOTHING RETURNING *`,
  );
  const completeStmt = db.prepare<[Record<string, string | number | null>], PhotoRow>(
    `UPDATE photos SET
       status = @status, reject_reason = @rejectReason, reject_detail = @rejectDetail, duplicate_of = @duplicateOf,
       sha256 = @sha256, phash = @phash, format = @format, width = @width, height = @height,
       sharpness = @sharpness, mean_luma = @meanLuma, dark_fraction = @darkFraction,
       bright_fraction = @brightFraction, raw_path = @rawPath, image_path = @imagePath, updated_at = @now
     WHERE id = @id AND status = 'received' RETURNING *`,
  );
  const setStatusStmt = db.prepare<[{ id: number; status: string; from: string | null; now: number }], PhotoRow>(
    `UPDATE photos SET status = @status, updated_at = @now
     WHERE id = @id AND status <> 'rejected'
       AND (@from IS NULL OR status IN (SELECT value FROM json_each(@from)))
     RETURNING *`,
  );
  const setPreviewStmt = db.prepare<[number | null, number, number], PhotoRow>(
    'UPDATE photos SET preview_message_id = ?, updated_at = ? WHERE id = ? RETURNING *',
  );
  const setComboStmt = db.prepare<[string, number, number], PhotoRow>(
    `UPDATE photos SET combo = ?, updated_at = ? WHERE id = ? AND status IN (${sqlList(ACCEPTED_STATUSES)}) RETURNING *`,
  );
  const restoreStmt = db.prepare<[{ id: number; imagePath: string | null; now: number }], PhotoRow>(
    `UPDATE photos SET
       status = CASE
         WHEN label_version IS NOT NULL THEN 'confirmed'
         WHEN EXISTS (SELECT 1 FROM label_versions lv WHERE lv.photo_id = photos.id) THEN 'prelabeled'
         ELSE 'clean' END,
       reject_reason = NULL, reject_detail = NULL, duplicate_of = NULL,
       image_path = COALESCE(@imagePath, image_path), updated_at = @now
     WHERE id = @id AND status = 'rejected' AND COALESCE(@imagePath, image_path) IS NOT NULL
     RETURNING *`,
  );
  const retryFailedStmt = db.prepare<[number, number], PhotoRow>(
    `UPDATE photos SET status = 'received', reject_reason = NULL, reject_detail = NULL, updated_at = ?
     WHERE id = ? AND status = 'rejected' AND reject_reason = 'processing-failed' RETURNING *`,
  );
  const removeStmt = db.prepare<[string, number, number], PhotoRow>(
    `UPDATE photos SET status = 'rejected', reject_reason = ?, reject_detail = NULL, updated_at = ?
     WHERE id = ? AND status IN (${ACCEPTED}) RETURNING *`,
  );

  const get = (id: number): Photo | undefined => {
    const row = getStmt.get(id);
    return row && toPhoto(row);
  };

  const receive = immediate(db, (input: ReceivePhoto): ReceiveResult => {
    const inserted = insertStmt.get({ ...input, now: now() });
    if (inserted) return { kind: 'new', photo: toPhoto(inserted) };
    const existing = byKeyStmt.get(input.stationNo, input.tgFileUniqueId);
    if (!existing) throw new Error('store: photo insert conflicted but no row exists; check the photos unique key');
    return { kind: 'existing', photo: toPhoto(existing) };
  });

  const complete = immediate(db, (id: number, f: CompleteFields): CompleteResult => {
    const rejected = f.status === 'rejected' ? f : undefined;
    const row = completeStmt.get({
      id,
      now: now(),
      status: f.status,
      rejectReason: rejected?.rejectReason ?? null,
      rejectDetail: rejected?.rejectDetail ?? null,
      duplicateOf: rejected?.duplicateOf ?? null,
      sha256: f.sha256,
      phash: f.phash,
      format: f.format,
      width: f.width,
      height: f.height,
      sharpness: f.sharpness,
      meanLuma: f.meanLuma,
      darkFraction: f.darkFraction,
      brightFraction: f.brightFraction,
      rawPath: f.rawPath,
      imagePath: f.imagePath,
    });
    if (row) return { kind: 'applied', photo: toPhoto(row) };
    const photo = get(id);
    return photo ? { kind: 'already', photo } : { kind: 'not-found' };
  });

  const restore = immediate(db, (id: number, opts?: { imagePath?: string }): RestoreResult => {
    const row = restoreStmt.get({ id, imagePath: opts?.imagePath ?? null, now: now() });
    if (row) return { kind: 'restored', photo: toPhoto(row) };
    const photo = get(id);
    if (!photo) return { kind: 'not-found' };
    return photo.status === 'rejected' ? { kind: 'no-image', photo } : { kind: 'not-rejected', photo };
  });

  const remove = immediate(db, (id: number): RemoveResult => {
    const row = removeStmt.get(REMOVED_BY_USER, now(), id);
    if (row) return { kind: 'removed', photo: toPhoto(row) };
    const photo = get(id);
    return photo ? { kind: 'not-accepted', photo } : { kind: 'not-found' };
  });

  return {
    ...photoQueries(db),
    receive,
    get,
    getForStation(stationNo, id) {
      const row = getForStationStmt.get(id, stationNo);
      return row && toPhoto(row);
    },
    complete,
    setStatus(id, status, from) {
      const row = setStatusStmt.get({ id, status, from: from ? JSON.stringify(from) : null, now: now() });
      return row && toPhoto(row);
    },
    setPreviewMessageId(id, messageId) {
      const row = setPreviewStmt.get(messageId, now(), id);
      return row && toPhoto(row);
    },
    setCombo(id, combo) {
      const row = setComboStmt.get(combo, now(), id);
      return row && toPhoto(row);
    },
    restore,
    retryFailed(id) {
      const row = retryFailedStmt.get(now(), id);
      return row && toPhoto(row);
    },
    remove,
  };
}
