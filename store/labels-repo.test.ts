import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { addStation, cleanPhoto, tempStore } from './test-fixtures/temp-store.js';
import type { BoxInput } from './types.js';

const box = (classId: number, x1 = 10, score: number | null = 0.9): BoxInput => ({
  classId,
  x1,
  y1: 20,
  x2: x1 + 100,
  y2: 220,
  source: score === null ? 'human' : 'model',
  score,
});

describeEngines('store.labels', (engine) => {
  let store: Store;
  let cleanup: () => void;
  let photo: number;
  beforeEach(() => {
    ({ store, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
    photo = cleanPhoto(store, 'S01', 'p1');
  });
  afterEach(() => cleanup());

  it('addVersion numbers versions 1, 2, ... and moves a clean photo to prelabeled', () => {
    expect(store.labels.latest(photo)).toBeUndefined();
    expect(store.labels.addVersion(photo, { kind: 'proposal', author: 'model', modelId: 'base-v1', boxes: [box(0), box(1, 300)] })).toBe(1);
    expect(store.photos.get(photo)?.status).toBe('prelabeled');
    expect(store.labels.addVersion(photo, { kind: 'label', author: 4242, boxes: [box(2, 50, null)] })).toBe(2);

    const v1 = store.labels.get(photo, 1);
    expect(v1).toMatchObject({ version: 1, kind: 'proposal', author: 'model', modelId: 'base-v1' });
    expect(v1?.boxes.map((b) => [b.classId, b.x1, b.score, b.source])).toEqual([
      [0, 10, 0.9, 'model'],
      [1, 300, 0.9, 'model'],
    ]);
    const latest = store.labels.latest(photo);
    expect(latest).toMatchObject({ version: 2, kind: 'label', author: 4242, modelId: null });
    expect(latest?.boxes).toHaveLength(1);
    expect(store.labels.get(photo, 3)).toBeUndefined();
  });

  it('addVersion is atomic: an invalid box stores nothing', () => {
    const bad: BoxInput = { ...box(0), x2: 0 };
    expect(() => store.labels.addVersion(photo, { kind: 'proposal', author: 'model', boxes: [box(0), bad] })).toThrow(/CHECK constraint|violates check constraint/);
    expect(store.labels.latest(photo)).toBeUndefined();
    expect(store.photos.get(photo)?.status).toBe('clean');
  });

  it('addVersion refuses an unknown photo with a message that says what to do', () => {
    expect(() => store.labels.addVersion(999, { kind: 'label', author: 1, boxes: [] })).toThrow(/receive the photo first/);
  });

  it('confirm sets the label version and status, and a repeat is a no-op', () => {
    const v = store.labels.addVersion(photo, { kind: 'proposal', author: 'model', boxes: [box(0)] });
    const first = store.labels.confirm(photo, v);
    expect(first.kind).toBe('confirmed');
    const updatedAt = store.photos.get(photo)?.updatedAt;
    expect(store.photos.get(photo)).toMatchObject({ status: 'confirmed', labelVersion: v });
    expect(store.labels.confirm(photo, v).kind).toBe('already');
    expect(store.photos.get(photo)?.updatedAt).toBe(updatedAt);

    // A newer version replaces the label.
    const v2 = store.labels.addVersion(photo, { kind: 'label', author: 7, boxes: [box(1), box(2)] });
    expect(store.labels.confirm(photo, v2).kind).toBe('confirmed');
    expect(store.labels.confirmed(photo)?.map((b) => b.classId)).toEqual([1, 2]);
  });

  it('confirm refuses missing versions and rejected photos', () => {
    expect(store.labels.confirm(photo, 1).kind).toBe('not-found');
    expect(store.labels.confirm(999, 1).kind).toBe('not-found');
    const v = store.labels.addVersion(photo, { kind: 'proposal', author: 'model', boxes: [] });
    store.photos.remove(photo);
    expect(store.labels.confirm(photo, v).kind).toBe('not-accepted');
    expect(store.labels.confirmed(photo)).toBeUndefined();
  });

  it('listConfirmed returns confirmed photos with their confirmed boxes only', () => {
    const other = cleanPhoto(store, 'S01', 'p2');
    const empty = cleanPhoto(store, 'S01', 'p3');
    cleanPhoto(store, 'S01', 'p4'); // never confirmed
    store.labels.addVersion(photo, { kind: 'proposal', author: 'model', boxes: [box(0)] });
    const v2 = store.labels.addVersion(photo, { kind: 'label', author: 1, boxes: [box(1), box(2)] });
    store.labels.confirm(photo, v2);
    store.labels.confirm(other, store.labels.addVersion(other, { kind: 'proposal', author: 'model', boxes: [box(0)] }));
    store.labels.confirm(empty, store.labels.addVersion(empty, { kind: 'label', author: 1, boxes: [] }));

    const list = store.labels.listConfirmed('S01');
    expect(list.map((c) => [c.photo.id, c.boxes.map((b) => b.classId)])).toEqual([
      [photo, [1, 2]],
      [other, [0]],
      [empty, []],
    ]);
    store.photos.remove(other);
    expect(store.labels.listConfirmed('S01').map((c) => c.photo.id)).toEqual([photo, empty]);
  });
});
