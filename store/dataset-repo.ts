import { immediate, type Clock, type Db } from './db-helpers.js';
import type { BoxInput } from './types.js';

export type SplitName = 'train' | 'val';

/** One photo of an imported dataset, already copied into the station's `images/`. */
export interface ImportedPhoto {
  /** Content hash of the image: a second import of the same file adds nothing. */
  sha256: string;
  imagePath: string;
  format: string;
  width: number;
  height: number;
  combo: string;
  split: SplitName;
  boxes: readonly Omit<BoxInput, 'source' | 'score'>[];
}

export interface DatasetImportRecord {
  id: number;
  stationNo: string;
  format: 'yolo' | 'coco' | 'voc';
  fileName: string;
  photos: number;
  boxes: number;
  createdAt: number;
}

/** One document collected by `/import` before "Done" (a dataset sent as loose files). */
export interface ImportUpload {
  id: number;
  fileId: string;
  /** Already made safe (`safeLooseName`): the last path part only. */
  fileName: string;
  size: number;
  /** The message that carried it. */
  messageId: number;
}

export type AddUploadResult = { kind: 'added' | 'replaced'; count: number } | { kind: 'too-many'; count: number };

/** The dataset as a whole: its recorded split, the imports that fed it, and the hand-in folder's name. */
export interface DatasetRepo {
  /** The recorded split of the station's photos (only those that have one). */
  splitOf(stationNo: string): Map<number, SplitName>;
  /** Records the split of photos that have none yet (a recorded split never changes). */
  recordSplit(stationNo: string, split: ReadonlyMap<number, SplitName>): void;
  /**
   * Adds an imported dataset in ONE transaction: every photo becomes a confirmed photo of
   * the station with its boxes as a human label, its split and `imported_from`; a photo
   * whose content the station already has is skipped. Returns what was added.
   */
  addImport(
    stationNo: string,
    meta: { format: DatasetImportRecord['format']; fileName: string; author: number; chatId: number },
    photos: readonly ImportedPhoto[],
  ): { record: DatasetImportRecord; added: number; skipped: number };
  /** Imports into a station, oldest first (reports say the dataset is imported). */
  imports(stationNo: string): DatasetImportRecord[];
  /**
   * Records a document collected by `/import` (one transaction: counted against `maxFiles`
   * first; a name sent again replaces the earlier file and counts once).
   */
  addUpload(userId: number, stationNo: string, file: Omit<ImportUpload, 'id'>, maxFiles: number): AddUploadResult;
  /** The documents `userId` collected for `stationNo`, in the order they came. */
  uploads(userId: number, stationNo: string): ImportUpload[];
  /** Forgets `userId`'s collected documents (a new `/import`, or an import saved). */
  clearUploads(userId: number, stationNo?: string): void;
}

interface ImportRow {
  id: number;
  station_no: string;
  format: DatasetImportRecord['format'];
  file_name: string;
  photos: number;
  boxes: number;
  created_at: number;
}

const toRecord = (r: ImportRow): DatasetImportRecord => ({
  id: r.id,
  stationNo: r.station_no,
  format: r.format,
  fileName: r.file_name,
  photos: r.photos,
  boxes: r.boxes,
  createdAt: r.created_at,
});

/** Builds the dataset repository over an open, migrated database. */
export function datasetRepo(db: Db, now: Clock): DatasetRepo {
  const splitStmt = db.prepare<[string], { id: number; split: SplitName }>(
    'SELECT id, split FROM photos WHERE station_no = ? AND split IS NOT NULL',
  );
  const setSplitStmt = db.prepare<[SplitName, number, string]>(
    'UPDATE photos SET split = ? WHERE id = ? AND station_no = ? AND split IS NULL',
  );
  const importStmt = db.prepare<[string, string, string, number], ImportRow>(
    'INSERT INTO dataset_imports (station_no, format, file_name, photos, boxes, created_at) VALUES (?, ?, ?, 0, 0, ?) RETURNING *',
  );
  const finishImportStmt = db.prepare<[number, number, number], ImportRow>(
    'UPDATE dataset_imports SET photos = ?, boxes = ? WHERE id = ? RETURNING *',
  );
  const photoStmt = db.prepare<[Record<string, string | number | null>], { id: number }>(
    `INSERT INTO photos (station_no, tg_file_id, tg_file_unique_id, source, chat_id, message_id, combo, status,
                         sha256, format, width, height, raw_path, image_path, label_version, split, imported_from,
                         created_at, updated_at)
     VALUES (@stationNo, @key, @key, 'document', @chatId, 0, @combo, 'confirmed',
             @sha256, @format, @width, @height, @imagePath, @imagePath, 1, @split, @from, @now, @now)
     ON CONFLICT (station_no, tg_file_unique_id) DO NOTHING RETURNING id`,
  );
  const versionStmt = db.prepare<[number, string, number]>(
    "INSERT INTO label_versions (photo_id, version, kind, author, created_at) VALUES (?, 1, 'label', ?, ?)",
  );
  const boxStmt = db.prepare<[number, number, number, number, number, number, number]>(
    "INSERT INTO boxes (photo_id, version, class_id, x1, y1, x2, y2, source, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, 'human', ?)",
  );
  const importsStmt = db.prepare<[string], ImportRow>('SELECT * FROM dataset_imports WHERE station_no = ? ORDER BY id');
  const uploadsStmt = db.prepare<[number, string], { id: number; file_id: string; file_name: string; size: number; message_id: number }>(
    'SELECT id, file_id, file_name, size, message_id FROM import_uploads WHERE user_id = ? AND station_no = ? ORDER BY id',
  );
  const uploadCountStmt = db.prepare<[number, string], { n: number }>('SELECT COUNT(*) AS n FROM import_uploads WHERE user_id = ? AND station_no = ?');
  const uploadExistsStmt = db.prepare<[number, string, string], { id: number }>('SELECT id FROM import_uploads WHERE user_id = ? AND station_no = ? AND file_name = ?');
  const uploadUpsertStmt = db.prepare<[number, string, string, string, number, number, number]>(
    `INSERT INTO import_uploads (user_id, station_no, file_id, file_name, size, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, station_no, file_name) DO UPDATE SET file_id = excluded.file_id, size = excluded.size, message_id = excluded.message_id, created_at = excluded.created_at`,
  );
  const clearUploadsStmt = db.prepare<[number]>('DELETE FROM import_uploads WHERE user_id = ?');
  const clearStationUploadsStmt = db.prepare<[number, string]>('DELETE FROM import_uploads WHERE user_id = ? AND station_no = ?');

  const addUpload = immediate(db, (userId: number, stationNo: string, file: Omit<ImportUpload, 'id'>, maxFiles: number): AddUploadResult => {
    const isReplace = uploadExistsStmt.get(userId, stationNo, file.fileName) !== undefined;
    const before = uploadCountStmt.get(userId, stationNo)?.n ?? 0;
    if (!isReplace && before >= maxFiles) return { kind: 'too-many', count: before };
    uploadUpsertStmt.run(userId, stationNo, file.fileId, file.fileName, file.size, file.messageId, now());
    return { kind: isReplace ? 'replaced' : 'added', count: isReplace ? before : before + 1 };
  });

  const recordSplit = immediate(db, (stationNo: string, split: ReadonlyMap<number, SplitName>) => {
    for (const [id, s] of split) setSplitStmt.run(s, id, stationNo);
  });

  const addImport = immediate(db, (stationNo: string, meta: Parameters<DatasetRepo['addImport']>[1], photos: readonly ImportedPhoto[]) => {
    const t = now();
    const rec = importStmt.get(stationNo, meta.format, meta.fileName, t);
    if (!rec) throw new Error('store: dataset import insert returned no row; check the dataset_imports table');
    let added = 0;
    let boxes = 0;
    for (const p of photos) {
      const row = photoStmt.get({
        stationNo,
        key: `import:${p.sha256}`,
        chatId: meta.chatId,
        combo: p.combo,
        sha256: p.sha256,
        format: p.format,
        width: p.width,
        height: p.height,
        imagePath: p.imagePath,
        split: p.split,
        from: `import-${rec.id}:${meta.fileName}`,
        now: t,
      });
      if (!row) continue;
      versionStmt.run(row.id, String(meta.author), t);
      for (const b of p.boxes) boxStmt.run(row.id, b.classId, b.x1, b.y1, b.x2, b.y2, t);
      added++;
      boxes += p.boxes.length;
    }
    const done = finishImportStmt.get(added, boxes, rec.id);
    if (!done) throw new Error('store: dataset import vanished while saving');
    return { record: toRecord(done), added, skipped: photos.length - added };
  });

  return {
    splitOf: (stationNo) => new Map(splitStmt.all(stationNo).map((r) => [r.id, r.split])),
    recordSplit: (stationNo, split) => recordSplit(stationNo, split),
    addImport: (stationNo, meta, photos) => addImport(stationNo, meta, photos),
    imports: (stationNo) => importsStmt.all(stationNo).map(toRecord),
    addUpload: (userId, stationNo, file, maxFiles) => addUpload(userId, stationNo, file, maxFiles),
    uploads: (userId, stationNo) =>
      uploadsStmt.all(userId, stationNo).map((r) => ({ id: r.id, fileId: r.file_id, fileName: r.file_name, size: r.size, messageId: r.message_id })),
    clearUploads: (userId, stationNo) => void (stationNo === undefined ? clearUploadsStmt.run(userId) : clearStationUploadsStmt.run(userId, stationNo)),
  };
}
