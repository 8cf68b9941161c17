import { immediate, type Clock, type Db } from './db-helpers.js';
import { toPhoto, type PhotoRow } from './photo-row.js';
import type { Box, BoxInput, BoxSource, LabelAuthor, LabelKind, LabelVersion, Photo } from './types.js';

interface BoxRow {
  id: number;
  photo_id: number;
  version: number;
  class_id: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  source: BoxSource;
  score: number | null;
  created_at: number;
}

interface VersionRow {
  photo_id: number;
  version: number;
  kind: LabelKind;
  author: string;
  model_id: string | null;
  created_at: number;
}

/** A new set of boxes for a photo: a model proposal or a human label. */
export interface NewLabelVersion {
  kind: LabelKind;
  author: LabelAuthor;
  modelId?: string | null;
  boxes: readonly BoxInput[];
}

export type ConfirmResult =
  | { kind: 'confirmed'; photo: Photo }
  /** This version was already the confirmed label: nothing changed (a double tap). */
  | { kind: 'already'; photo: Photo }
  /** The photo is rejected or not yet inspected. */
  | { kind: 'not-accepted'; photo: Photo }
  /** No such photo or no such version of it. */
  | { kind: 'not-found' };

/** A confirmed photo with the boxes of its confirmed label. */
export interface ConfirmedPhoto {
  photo: Photo;
  boxes: Box[];
}

/** Versioned labels. A photo's boxes are never edited in place: each change is a new version. */
export interface LabelsRepo {
  /**
   * Stores a new version (max + 1) with its boxes in one transaction and returns its
   * number. A 'clean' photo becomes 'prelabeled'. Throws when the photo does not exist.
   */
  addVersion(photoId: number, input: NewLabelVersion): number;
  latest(photoId: number): LabelVersion | undefined;
  get(photoId: number, version: number): LabelVersion | undefined;
  /** Makes `version` the photo's label and its status 'confirmed'; idempotent. */
  confirm(photoId: number, version: number): ConfirmResult;
  /** Boxes of the confirmed label, or `undefined` when the photo has none. */
  confirmed(photoId: number): Box[] | undefined;
  /** Confirmed and reviewed photos of a station with their boxes, oldest first (export, training). */
  listConfirmed(stationNo: string): ConfirmedPhoto[];
  /** The newest version of kind `kind` (e.g. the detector's latest proposal for `/check`). */
  latestOfKind(photoId: number, kind: LabelKind): LabelVersion | undefined;
}

function toBox(r: BoxRow): Box {
  return {
    id: r.id,
    photoId: r.photo_id,
    version: r.version,
    classId: r.class_id,
    x1: r.x1,
    y1: r.y1,
    x2: r.x2,
    y2: r.y2,
    source: r.source,
    score: r.score,
    createdAt: r.created_at,
  };
}

function toAuthor(text: string): LabelAuthor {
  return text === 'model' ? 'model' : Number(text);
}

/** Builds the labels repository over an open, migrated database. */
export function labelsRepo(db: Db, now: Clock): LabelsRepo {
  const photoStmt = db.prepare<[number], PhotoRow>('SELECT * FROM photos WHERE id = ?');
  const maxStmt = db.prepare<[number], { v: number | null }>(
    'SELECT MAX(version) AS v FROM label_versions WHERE photo_id = ?',
  );
  const insertVersionStmt = db.prepare<[number, number, LabelKind, string, string | null, number]>(
    'INSERT INTO label_versions (photo_id, version, kind, author, model_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertBoxStmt = db.prepare<[Record<string, string | number | null>]>(
    `INSERT INTO boxes (photo_id, version, class_id, x1, y1, x2, y2, source, score, created_at)
     VALUES (@photoId, @version, @classId, @x1, @y1, @x2, @y2, @source, @score, @now)`,
  );
  const prelabelStmt = db.prepare<[number, number]>(
    "UPDATE photos SET status = 'prelabeled', updated_at = ? WHERE id = ? AND status = 'clean'",
  );
  const versionStmt = db.prepare<[number, number], VersionRow>(
    'SELECT * FROM label_versions WHERE photo_id = ? AND version = ?',
  );
  const latestStmt = db.prepare<[number], VersionRow>(
    'SELECT * FROM label_versions WHERE photo_id = ? ORDER BY version DESC LIMIT 1',
  );
  const latestOfKindStmt = db.prepare<[number, LabelKind], VersionRow>(
    'SELECT * FROM label_versions WHERE photo_id = ? AND kind = ? ORDER BY version DESC LIMIT 1',
  );
  const boxesStmt = db.prepare<[number, number], BoxRow>(
    'SELECT * FROM boxes WHERE photo_id = ? AND version = ? ORDER BY id',
  );
  const confirmStmt = db.prepare<[number, number, number], PhotoRow>(
    `UPDATE photos SET label_version = ?, status = 'confirmed', updated_at = ? WHERE id = ? RETURNING *`,
  );
  const confirmedPhotosStmt = db.prepare<[string], PhotoRow>(
    `SELECT * FROM photos WHERE station_no = ? AND label_version IS NOT NULL
       AND status IN ('confirmed', 'reviewed') ORDER BY id`,
  );
  const confirmedBoxesStmt = db.prepare<[string], BoxRow>(
    `SELECT b.* FROM boxes b JOIN photos p ON p.id = b.photo_id AND p.label_version = b.version
     WHERE p.station_no = ? AND p.status IN ('confirmed', 'reviewed') ORDER BY b.photo_id, b.id`,
  );

  const withBoxes = (v: VersionRow): LabelVersion => ({
    photoId: v.photo_id,
    version: v.version,
    kind: v.kind,
    author: toAuthor(v.author),
    modelId: v.model_id,
    createdAt: v.created_at,
    boxes: boxesStmt.all(v.photo_id, v.version).map(toBox),
  });

  const addVersion = immediate(db, (photoId: number, input: NewLabelVersion): number => {
    if (!photoStmt.get(photoId)) {
      throw new Error(`store: cannot label photo ${photoId}: it does not exist; receive the photo first`);
    }
    const version = (maxStmt.get(photoId)?.v ?? 0) + 1;
    const t = now();
    insertVersionStmt.run(photoId, version, input.kind, String(input.author), input.modelId ?? null, t);
    for (const b of input.boxes) {
      insertBoxStmt.run({
        photoId,
        version,
        classId: b.classId,
        x1: b.x1,
        y1: b.y1,
        x2: b.x2,
        y2: b.y2,
        source: b.source,
        score: b.score ?? null,
        now: t,
      });
    }
    prelabelStmt.run(t, photoId);
    return version;
  });

  const confirm = immediate(db, (photoId: number, version: number): ConfirmResult => {
    const row = photoStmt.get(photoId);
    if (!row || !versionStmt.get(photoId, version)) return { kind: 'not-found' };
    const photo = toPhoto(row);
    if (photo.status === 'rejected' || photo.status === 'received') return { kind: 'not-accepted', photo };
    if (photo.labelVersion === version && (photo.status === 'confirmed' || photo.status === 'reviewed')) {
      return { kind: 'already', photo };
    }
    const updated = confirmStmt.get(version, now(), photoId);
    if (!updated) throw new Error(`store: photo ${photoId} vanished while confirming; check for concurrent deletes`);
    return { kind: 'confirmed', photo: toPhoto(updated) };
  });

  // One read transaction so photos and boxes come from the same snapshot.
  const listConfirmedTx = db.transaction((stationNo: string): ConfirmedPhoto[] => {
    const byPhoto = new Map<number, Box[]>();
    for (const b of confirmedBoxesStmt.all(stationNo)) {
      const list = byPhoto.get(b.photo_id) ?? [];
      list.push(toBox(b));
      byPhoto.set(b.photo_id, list);
    }
    return confirmedPhotosStmt.all(stationNo).map((r) => ({ photo: toPhoto(r), boxes: byPhoto.get(r.id) ?? [] }));
  });

  return {
    addVersion,
    latest(photoId) {
      const v = latestStmt.get(photoId);
      return v && withBoxes(v);
    },
    get(photoId, version) {
      const v = versionStmt.get(photoId, version);
      return v && withBoxes(v);
    },
    confirm,
    confirmed(photoId) {
      const row = photoStmt.get(photoId);
      if (!row || row.label_version === null) return undefined;
      return boxesStmt.all(photoId, row.label_version).map(toBox);
    },
    listConfirmed: (stationNo) => listConfirmedTx(stationNo),
    latestOfKind(photoId, kind) {
      const v = latestOfKindStmt.get(photoId, kind);
      return v && withBoxes(v);
    },
  };
}
