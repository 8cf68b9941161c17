import type { Clock, Db } from './db-helpers.js';

/**
 * The model's own boxes for a photo, before the station's box correction and snapping
 * changed them (`core/box-correction.ts`): what the correction learns from, by comparing
 * them with the boxes the contestant confirmed. One row per photo (its first proposal).
 */

/** A box in the photo's pixels with its exam class id. */
export interface ModelBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A confirmed photo's model boxes and confirmed boxes. */
export interface ModelBoxPair {
  photoId: number;
  proposed: ModelBox[];
  confirmed: ModelBox[];
}

export interface ModelBoxesRepo {
  /** Keeps `boxes` as what model `modelId` proposed for the photo; a second call for the photo changes nothing. */
  record(photoId: number, modelId: string, boxes: readonly ModelBox[]): void;
  /** The station's newest `limit` confirmed photos proposed by `modelId`, newest first. */
  pairs(stationNo: string, modelId: string, limit: number): ModelBoxPair[];
}

const toBox = (b: ModelBox): ModelBox => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });

/** Builds the model-boxes repository. */
export function modelBoxesRepo(db: Db, now: Clock): ModelBoxesRepo {
  const insertStmt = db.prepare<[number, string, string, number]>(
    'INSERT INTO model_boxes (photo_id, model_id, boxes, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (photo_id) DO NOTHING',
  );
  const pairsStmt = db.prepare<[string, string, number], { photo_id: number; boxes: string; label_version: number }>(
    `SELECT m.photo_id, m.boxes, p.label_version FROM model_boxes m JOIN photos p ON p.id = m.photo_id
     WHERE p.station_no = ? AND m.model_id = ? AND p.status IN ('confirmed', 'reviewed') AND p.label_version IS NOT NULL
     ORDER BY m.photo_id DESC LIMIT ?`,
  );
  const confirmedStmt = db.prepare<[number, number], ModelBox & { class_id: number }>(
    'SELECT class_id, x1, y1, x2, y2 FROM boxes WHERE photo_id = ? AND version = ? ORDER BY id',
  );
  return {
    record(photoId, modelId, boxes) {
      insertStmt.run(photoId, modelId, JSON.stringify(boxes.map(toBox)), now());
    },
    pairs(stationNo, modelId, limit) {
      return pairsStmt.all(stationNo, modelId, limit).map((r) => ({
        photoId: r.photo_id,
        proposed: (JSON.parse(r.boxes) as ModelBox[]).map(toBox),
        confirmed: confirmedStmt.all(r.photo_id, r.label_version).map((b) => ({ classId: b.class_id, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })),
      }));
    },
  };
}
