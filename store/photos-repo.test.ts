import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { addStation, clean, cleanPhoto, inspection, receipt, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.photos', (engine) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => {
    ({ store, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
    addStation(store, 'S02');
  });
  afterEach(() => cleanup());

  it('receive is idempotent on (station, unique file id)', () => {
    const a = store.photos.receive(receipt('S01', 'u1', '0+2'));
    expect(a.kind).toBe('new');
    expect(a.photo).toMatchObject({ stationNo: 'S01', status: 'received', combo: '0+2', tgFileUniqueId: 'u1' });
    const b = store.photos.receive({ ...receipt('S01', 'u1', '1'), messageId: 99 });
    expect(b).toEqual({ kind: 'existing', photo: a.photo });
    // The same file at another station is a different photo.
    expect(store.photos.receive(receipt('S02', 'u1')).kind).toBe('new');
    expect(store.photos.list('S01')).toHaveLength(1);
  });

  it('getForStation refuses a photo of another station', () => {
    const id = store.photos.receive(receipt('S01', 'u1')).photo.id;
    expect(store.photos.getForStation('S01', id)?.id).toBe(id);
    expect(store.photos.getForStation('S02', id)).toBeUndefined();
    expect(store.photos.get(12345)).toBeUndefined();
  });

  it('complete applies exactly once, only while received', () => {
    const id = store.photos.receive(receipt('S01', 'u1')).photo.id;
    const first = store.photos.complete(id, clean());
    expect(first.kind).toBe('applied');
    expect(first.kind === 'applied' && first.photo).toMatchObject({ status: 'clean', width: 4000, meanLuma: 0.45 });
    const second = store.photos.complete(id, { ...inspection({ width: 1 }), status: 'rejected', rejectReason: 'blurry' });
    expect(second.kind).toBe('already');
    expect(store.photos.get(id)).toMatchObject({ status: 'clean', width: 4000, rejectReason: null });
    expect(store.photos.complete(999, clean()).kind).toBe('not-found');
  });

  it('complete records a rejection with reason, detail and duplicate', () => {
    const original = cleanPhoto(store, 'S01', 'u1');
    const id = store.photos.receive(receipt('S01', 'u2')).photo.id;
    const r = store.photos.complete(id, {
      ...inspection(),
      status: 'rejected',
      rejectReason: 'duplicate',
      rejectDetail: 'same bytes',
      duplicateOf: original,
    });
    expect(r.kind === 'applied' && r.photo).toMatchObject({
      status: 'rejected',
      rejectReason: 'duplicate',
      rejectDetail: 'same bytes',
      duplicateOf: original,
    });
  });

  it('setStatus moves non-rejected photos, honours `from`, never un-rejects', () => {
    const id = cleanPhoto(store, 'S01', 'u1');
    expect(store.photos.setStatus(id, 'prelabeled', ['clean'])?.status).toBe('prelabeled');
    expect(store.photos.setStatus(id, 'confirmed', ['clean'])).toBeUndefined();
    expect(store.photos.get(id)?.status).toBe('prelabeled');
    store.photos.remove(id);
    expect(store.photos.setStatus(id, 'clean')).toBeUndefined();
    expect(store.photos.get(id)?.status).toBe('rejected');
  });

  it('remove rejects an accepted photo as removed-by-user; restore brings it back', () => {
    const id = cleanPhoto(store, 'S01', 'u1');
    const removed = store.photos.remove(id);
    expect(removed.kind === 'removed' && removed.photo).toMatchObject({ status: 'rejected', rejectReason: 'removed-by-user' });
    expect(store.photos.remove(id).kind).toBe('not-accepted');
    const restored = store.photos.restore(id);
    expect(restored.kind === 'restored' && restored.photo).toMatchObject({ status: 'clean', rejectReason: null });
    expect(store.photos.restore(id).kind).toBe('not-rejected');
    expect(store.photos.restore(999).kind).toBe('not-found');
    expect(store.photos.remove(999).kind).toBe('not-found');
  });

  it('restore returns a labelled photo to confirmed and clears duplicate info', () => {
    const id = cleanPhoto(store, 'S01', 'u1');
    const v = store.labels.addVersion(id, { kind: 'proposal', author: 'model', boxes: [] });
    store.labels.confirm(id, v);
    store.photos.remove(id);
    const r = store.photos.restore(id);
    expect(r.kind === 'restored' && r.photo).toMatchObject({ status: 'confirmed', labelVersion: v });

    const dupId = store.photos.receive(receipt('S01', 'u2')).photo.id;
    store.photos.complete(dupId, { ...inspection(), status: 'rejected', rejectReason: 'duplicate', duplicateOf: id });
    const back = store.photos.restore(dupId, { imagePath: '/data/images/u2.jpg' });
    expect(back.kind === 'restored' && back.photo).toMatchObject({
      status: 'clean',
      duplicateOf: null,
      imagePath: '/data/images/u2.jpg',
    });
  });

  it('restore refuses a photo rejected before any cleaned image existed', () => {
    const id = store.photos.receive(receipt('S01', 'u1')).photo.id;
    store.photos.complete(id, { ...inspection({ imagePath: null }), status: 'rejected', rejectReason: 'not-an-image' });
    expect(store.photos.restore(id).kind).toBe('no-image');
  });

  it('countByCombo counts accepted photos only', () => {
    cleanPhoto(store, 'S01', 'a', '0');
    cleanPhoto(store, 'S01', 'b', '0');
    const c = cleanPhoto(store, 'S01', 'c', '0+1');
    const d = cleanPhoto(store, 'S01', 'd', '0+1');
    store.photos.setStatus(c, 'confirmed');
    store.photos.remove(d);
    store.photos.receive(receipt('S01', 'e', '2')); // still 'received'
    cleanPhoto(store, 'S02', 'f', '0');
    expect(store.photos.countByCombo('S01')).toEqual(new Map([['0', 2], ['0+1', 1]]));
  });

  it('findBySha and listPhashes see only accepted photos of the station', () => {
    const a = cleanPhoto(store, 'S01', 'a', '0', 'sha-1');
    const b = cleanPhoto(store, 'S01', 'b', '0', 'sha-1');
    cleanPhoto(store, 'S02', 'c', '0', 'sha-2');
    expect(store.photos.findBySha('S01', 'sha-1')?.id).toBe(a);
    store.photos.remove(a);
    expect(store.photos.findBySha('S01', 'sha-1')?.id).toBe(b);
    expect(store.photos.findBySha('S01', 'sha-2')).toBeUndefined();
    expect(store.photos.listPhashes('S01')).toEqual([{ id: b, phash: 'ph-b' }]);
  });

  it('list filters by status and pages; summary counts by status and reason', () => {
    const ids = ['a', 'b', 'c', 'd'].map((k) => cleanPhoto(store, 'S01', k));
    store.photos.remove(ids[1]!);
    const r = store.photos.receive(receipt('S01', 'e')).photo.id;
    store.photos.complete(r, { ...inspection(), status: 'rejected', rejectReason: 'blurry' });
    store.photos.receive(receipt('S01', 'f'));

    expect(store.photos.list('S01').map((p) => p.tgFileUniqueId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(store.photos.list('S01', { status: 'clean' }).map((p) => p.id)).toEqual([ids[0], ids[2], ids[3]]);
    expect(store.photos.list('S01', { status: ['rejected', 'received'] })).toHaveLength(3);
    expect(store.photos.list('S01', { limit: 2, offset: 1 }).map((p) => p.tgFileUniqueId)).toEqual(['b', 'c']);

    expect(store.photos.summary('S01')).toEqual({
      total: 6,
      byStatus: { received: 1, clean: 3, rejected: 2, prelabeled: 0, confirmed: 0, reviewed: 0 },
      byRejectReason: { 'removed-by-user': 1, blurry: 1 },
    });
  });

  it('nextToConfirm is the oldest clean or prelabeled photo', () => {
    expect(store.photos.nextToConfirm('S01')).toBeUndefined();
    const a = cleanPhoto(store, 'S01', 'a');
    const b = cleanPhoto(store, 'S01', 'b');
    store.labels.addVersion(b, { kind: 'proposal', author: 'model', boxes: [] });
    expect(store.photos.nextToConfirm('S01')?.id).toBe(a);
    store.photos.setStatus(a, 'confirmed');
    expect(store.photos.nextToConfirm('S01')?.id).toBe(b);
    expect(store.photos.nextToConfirm('S02')).toBeUndefined();
  });

  it('setPreviewMessageId remembers the preview message', () => {
    const id = cleanPhoto(store, 'S01', 'a');
    expect(store.photos.setPreviewMessageId(id, 555)?.previewMessageId).toBe(555);
  });

  it('receive refuses an unknown station (foreign key)', () => {
    expect(() => store.photos.receive(receipt('S99', 'x'))).toThrow(/FOREIGN KEY constraint|violates foreign key constraint/);
  });
});
