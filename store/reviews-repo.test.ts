import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { addStation, cleanPhoto, tempStore } from './test-fixtures/temp-store.js';
import type { BoxInput } from './types.js';

const box = (classId: number): BoxInput => ({ classId, x1: 1, y1: 1, x2: 50, y2: 50, source: 'human' });

describeEngines('store.reviews', (engine) => {
  let store: Store;
  let cleanup: () => void;
  /** Confirms a clean photo with `n` boxes; returns [photoId, boxIds]. */
  const confirmed = (key: string, n: number, station = 'S01'): [number, number[]] => {
    const id = cleanPhoto(store, station, key);
    const v = store.labels.addVersion(id, { kind: 'label', author: 1, boxes: Array.from({ length: n }, (_, i) => box(i)) });
    store.labels.confirm(id, v);
    return [id, store.labels.confirmed(id)!.map((b) => b.id)];
  };

  beforeEach(() => {
    ({ store, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
    addStation(store, 'S02');
  });
  afterEach(() => cleanup());

  it('create makes one pending row per confirmed box plus one photo-level row', () => {
    const [p1, boxes1] = confirmed('a', 2);
    const [p2] = confirmed('b', 0);
    confirmed('c', 3); // not sampled
    const review = store.reviews.create('S01', 1234, 0.2, [p1, p2, p1]);
    expect(review).toMatchObject({ stationNo: 'S01', seed: 1234, sampleRate: 0.2, finishedAt: null });
    expect(store.reviews.get(review.id)).toEqual(review);
    expect(store.reviews.latest('S01')).toEqual(review);
    expect(store.reviews.latest('S02')).toBeUndefined();

    const items = store.reviews.items(review.id);
    expect(items.map((i) => [i.photoId, i.boxId, i.verdict, i.missed])).toEqual([
      [p1, boxes1[0], 'pending', 0],
      [p1, boxes1[1], 'pending', 0],
      [p1, null, 'pending', 0],
      [p2, null, 'pending', 0],
    ]);
  });

  it('create refuses unconfirmed photos and photos of another station, storing nothing', () => {
    const [p1] = confirmed('a', 1);
    const unconfirmed = cleanPhoto(store, 'S01', 'b');
    const [foreign] = confirmed('c', 1, 'S02');
    expect(() => store.reviews.create('S01', 1, 0.2, [p1, unconfirmed])).toThrow(/not a confirmed photo/);
    expect(() => store.reviews.create('S01', 1, 0.2, [p1, foreign])).toThrow(/listConfirmed/);
    expect(store.reviews.latest('S01')).toBeUndefined();
  });

  it('setVerdict and setMissed update rows of the sample only', () => {
    const [p1, [b1]] = confirmed('a', 1);
    const [, [otherBox]] = confirmed('b', 1);
    const r = store.reviews.create('S01', 1, 0.2, [p1]);
    const v = store.reviews.setVerdict(r.id, b1!, 'loose');
    expect(v.kind === 'updated' && v.item).toMatchObject({ boxId: b1, verdict: 'loose' });
    expect(store.reviews.setVerdict(r.id, b1!, 'loose').kind).toBe('updated'); // idempotent
    expect(store.reviews.setVerdict(r.id, otherBox!, 'qualified').kind).toBe('not-found');
    expect(store.reviews.setVerdict(999, b1!, 'qualified').kind).toBe('not-found');

    const m = store.reviews.setMissed(r.id, p1, 2, 77);
    expect(m.kind === 'updated' && m.item).toMatchObject({ photoId: p1, boxId: null, missed: 2, reviewerId: 77 });
    const byProctor = store.reviews.setVerdict(r.id, b1!, 'qualified', 88);
    expect(byProctor.kind === 'updated' && byProctor.item).toMatchObject({ verdict: 'qualified', reviewerId: 88 });
    expect(() => store.reviews.setMissed(r.id, p1, -1)).toThrow(/non-negative integer/);
    expect(() => store.reviews.setMissed(r.id, p1, 1.5)).toThrow(/non-negative integer/);
  });

  it('finish closes the review once, marks sampled photos reviewed, then refuses changes', () => {
    const [p1, [b1]] = confirmed('a', 1);
    const [p2] = confirmed('b', 1);
    const r = store.reviews.create('S01', 1, 0.2, [p1]);
    const done = store.reviews.finish(r.id);
    expect(done.kind).toBe('finished');
    expect(store.reviews.finish(r.id).kind).toBe('already');
    expect(store.reviews.finish(999).kind).toBe('not-found');
    expect(store.photos.get(p1)?.status).toBe('reviewed');
    expect(store.photos.get(p2)?.status).toBe('confirmed');
    expect(store.reviews.setVerdict(r.id, b1!, 'qualified').kind).toBe('finished');
    expect(store.reviews.setMissed(r.id, p1, 1).kind).toBe('finished');
    // Reviewed photos stay in the dataset and can be sampled again.
    expect(store.labels.listConfirmed('S01').map((c) => c.photo.id)).toEqual([p1, p2]);
    expect(store.reviews.create('S01', 2, 0.2, [p1, p2]).id).toBeGreaterThan(r.id);
  });

  it('list keeps every review, newest first; isStale turns true when a sampled label changes', () => {
    const [p1] = confirmed('a', 2);
    const [p2] = confirmed('b', 0);
    const [p3] = confirmed('c', 1);
    const r1 = store.reviews.create('S01', 1, 0.2, [p1, p2]);
    const r2 = store.reviews.create('S01', 2, 0.2, [p3]);
    expect(store.reviews.list('S01').map((r) => r.id)).toEqual([r2.id, r1.id]);
    expect(store.reviews.list('S02')).toEqual([]);
    expect(store.reviews.isStale(r1.id)).toBe(false);
    store.reviews.finish(r1.id);
    expect(store.reviews.isStale(r1.id)).toBe(false); // finishing marks photos reviewed: not a change
    // A photo outside the sample changes: r1 stays fresh.
    store.labels.confirm(p3, store.labels.addVersion(p3, { kind: 'label', author: 1, boxes: [box(1)] }));
    expect(store.reviews.isStale(r1.id)).toBe(false);
    expect(store.reviews.isStale(r2.id)).toBe(true);
    // A new label version of a sampled photo, confirmed: stale.
    store.labels.confirm(p1, store.labels.addVersion(p1, { kind: 'label', author: 1, boxes: [box(0)] }));
    expect(store.reviews.isStale(r1.id)).toBe(true);
    expect(store.reviews.isStale(999)).toBe(false);
  });

  it('latestOfKind finds the newest proposal under later human labels', () => {
    const id = cleanPhoto(store, 'S01', 'p');
    store.labels.addVersion(id, { kind: 'proposal', author: 'model', boxes: [{ ...box(0), source: 'model', score: 0.9 }] });
    store.labels.addVersion(id, { kind: 'label', author: 1, boxes: [box(1)] });
    expect(store.labels.latestOfKind(id, 'proposal')).toMatchObject({ version: 1, kind: 'proposal', boxes: [{ classId: 0, score: 0.9 }] });
    expect(store.labels.latestOfKind(id, 'label')?.version).toBe(2);
  });
});
