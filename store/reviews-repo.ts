import { immediate, type Clock, type Db } from './db-helpers.js';
import type { Review, ReviewItem, Verdict } from './types.js';

interface ReviewRow {
  id: number;
  station_no: string;
  seed: number;
  sample_rate: number;
  created_at: number;
  finished_at: number | null;
}

interface ItemRow {
  id: number;
  review_id: number;
  photo_id: number;
  box_id: number | null;
  verdict: Verdict;
  missed: number;
  reviewer_id: number | null;
  updated_at: number;
}

/** Outcome of marking an item: refused once the review is finished. */
export type ReviewItemResult =
  | { kind: 'updated'; item: ReviewItem }
  | { kind: 'finished'; review: Review }
  /** No such review, or the box/photo is not in its sample. */
  | { kind: 'not-found' };

export type FinishResult = { kind: 'finished'; review: Review } | { kind: 'already'; review: Review } | { kind: 'not-found' };

/** Acceptance reviews: the seeded sample and a verdict per box. */
export interface ReviewsRepo {
  /**
   * Creates a review of the given photos (chosen by core's seeded sampler): one 'pending'
   * row per box of each photo's confirmed label plus one photo-level row for missed
   * objects. Throws when a photo is not a confirmed photo of `stationNo`.
   */
  create(stationNo: string, seed: number, sampleRate: number, photoIds: readonly number[]): Review;
  get(id: number): Review | undefined;
  /** The station's most recent review. */
  latest(stationNo: string): Review | undefined;
  /** `reviewerId`: the user who pressed (contestant or proctor), recorded on the row. */
  setVerdict(reviewId: number, boxId: number, verdict: Verdict, reviewerId?: number): ReviewItemResult;
  /** Sets the number of objects the label missed on a sampled photo (a non-negative integer). */
  setMissed(reviewId: number, photoId: number, missed: number, reviewerId?: number): ReviewItemResult;
  /** Closes the review and marks its confirmed photos 'reviewed'; idempotent. */
  finish(id: number): FinishResult;
  /** Rows of a review: per photo, its box rows then the photo-level row. */
  items(id: number): ReviewItem[];
  /** The station's reviews, newest first (reviews are kept). */
  list(stationNo: string): Review[];
  /**
   * Whether a label changed after the review was drawn: a sampled photo whose confirmed
   * label is now another version than the one its reviewed boxes belong to (or that has
   * none, or whose box-less label was replaced after the draw).
   */
  isStale(id: number): boolean;
}

function toReview(r: ReviewRow): Review {
  return {
    id: r.id,
    stationNo: r.station_no,
    seed: r.seed,
    sampleRate: r.sample_rate,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

function toItem(r: ItemRow): ReviewItem {
  return {
    id: r.id,
    reviewId: r.review_id,
    photoId: r.photo_id,
    boxId: r.box_id,
    verdict: r.verdict,
    missed: r.missed,
    reviewerId: r.reviewer_id,
    updatedAt: r.updated_at,
  };
}

/** Builds the reviews repository over an open, migrated database. */
export function reviewsRepo(db: Db, now: Clock): ReviewsRepo {
  const getStmt = db.prepare<[number], ReviewRow>('SELECT * FROM reviews WHERE id = ?');
  const latestStmt = db.prepare<[string], ReviewRow>('SELECT * FROM reviews WHERE station_no = ? ORDER BY id DESC LIMIT 1');
  const insertStmt = db.prepare<[string, number, number, number], ReviewRow>(
    'INSERT INTO reviews (station_no, seed, sample_rate, created_at) VALUES (?, ?, ?, ?) RETURNING *',
  );
  const photoStmt = db.prepare<[number], { station_no: string; status: string; label_version: number | null }>(
    'SELECT station_no, status, label_version FROM photos WHERE id = ?',
  );
  const boxIdsStmt = db.prepare<[number, number], { id: number }>(
    'SELECT id FROM boxes WHERE photo_id = ? AND version = ? ORDER BY id',
  );
  const insertItemStmt = db.prepare<[number, number, number | null, number]>(
    'INSERT INTO review_items (review_id, photo_id, box_id, updated_at) VALUES (?, ?, ?, ?)',
  );
  const verdictStmt = db.prepare<[Verdict, number | null, number, number, number], ItemRow>(
    'UPDATE review_items SET verdict = ?, reviewer_id = ?, updated_at = ? WHERE review_id = ? AND box_id = ? RETURNING *',
  );
  const missedStmt = db.prepare<[number, number | null, number, number, number], ItemRow>(
    'UPDATE review_items SET missed = ?, reviewer_id = ?, updated_at = ? WHERE review_id = ? AND photo_id = ? AND box_id IS NULL RETURNING *',
  );
  const finishStmt = db.prepare<[number, number], ReviewRow>(
    'UPDATE reviews SET finished_at = ? WHERE id = ? AND finished_at IS NULL RETURNING *',
  );
  const markReviewedStmt = db.prepare<[number, number]>(
    `UPDATE photos SET status = 'reviewed', updated_at = ?
     WHERE status = 'confirmed' AND id IN (SELECT photo_id FROM review_items WHERE review_id = ?)`,
  );
  const listStmt = db.prepare<[string], ReviewRow>('SELECT * FROM reviews WHERE station_no = ? ORDER BY id DESC');
  const staleStmt = db.prepare<[number, number], { n: number }>(
    `SELECT COUNT(*) AS n FROM review_items i JOIN photos p ON p.id = i.photo_id
       LEFT JOIN boxes b ON b.id = i.box_id
       LEFT JOIN label_versions v ON v.photo_id = p.id AND v.version = p.label_version
     WHERE i.review_id = ? AND (
       p.label_version IS NULL OR p.status NOT IN ('confirmed', 'reviewed')
       OR (i.box_id IS NOT NULL AND b.version <> p.label_version)
       OR (i.box_id IS NULL AND v.created_at > ?))`,
  );
  const itemsStmt = db.prepare<[number], ItemRow>(
    'SELECT * FROM review_items WHERE review_id = ? ORDER BY photo_id, box_id IS NULL, box_id',
  );

  const create = immediate(db, (stationNo: string, seed: number, sampleRate: number, photoIds: readonly number[]): Review => {
    const t = now();
    const review = insertStmt.get(stationNo, seed, sampleRate, t);
    if (!review) throw new Error('store: review insert returned no row; check the reviews table');
    for (const photoId of new Set(photoIds)) {
      const p = photoStmt.get(photoId);
      if (!p || p.station_no !== stationNo || p.label_version === null || (p.status !== 'confirmed' && p.status !== 'reviewed')) {
        throw new Error(
          `store: photo ${photoId} is not a confirmed photo of this station; sample only from labels.listConfirmed(stationNo)`,
        );
      }
      for (const b of boxIdsStmt.all(photoId, p.label_version)) insertItemStmt.run(review.id, photoId, b.id, t);
      insertItemStmt.run(review.id, photoId, null, t);
    }
    return toReview(review);
  });

  /** Runs `update` unless the review is missing or finished. */
  const guarded = (reviewId: number, update: () => ItemRow | undefined): ReviewItemResult => {
    const review = getStmt.get(reviewId);
    if (!review) return { kind: 'not-found' };
    if (review.finished_at !== null) return { kind: 'finished', review: toReview(review) };
    const row = update();
    return row ? { kind: 'updated', item: toItem(row) } : { kind: 'not-found' };
  };

  const setVerdict = immediate(db, (reviewId: number, boxId: number, verdict: Verdict, reviewerId?: number) =>
    guarded(reviewId, () => verdictStmt.get(verdict, reviewerId ?? null, now(), reviewId, boxId)),
  );

  const setMissed = immediate(db, (reviewId: number, photoId: number, missed: number, reviewerId?: number) => {
    if (!Number.isInteger(missed) || missed < 0) {
      throw new Error(`store: missed must be a non-negative integer, got ${missed}; validate the user's number first`);
    }
    return guarded(reviewId, () => missedStmt.get(missed, reviewerId ?? null, now(), reviewId, photoId));
  });

  const finish = immediate(db, (id: number): FinishResult => {
    const t = now();
    const done = finishStmt.get(t, id);
    if (done) {
      markReviewedStmt.run(t, id);
      return { kind: 'finished', review: toReview(done) };
    }
    const review = getStmt.get(id);
    return review ? { kind: 'already', review: toReview(review) } : { kind: 'not-found' };
  });

  return {
    create,
    get(id) {
      const row = getStmt.get(id);
      return row && toReview(row);
    },
    latest(stationNo) {
      const row = latestStmt.get(stationNo);
      return row && toReview(row);
    },
    setVerdict,
    setMissed,
    finish,
    items: (id) => itemsStmt.all(id).map(toItem),
    list: (stationNo) => listStmt.all(stationNo).map(toReview),
    isStale(id) {
      const review = getStmt.get(id);
      return review ? (staleStmt.get(id, review.created_at)?.n ?? 0) > 0 : false;
    },
  };
}
