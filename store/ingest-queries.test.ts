import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import { hammingHex } from '../vision/image/phash.js';
import type { Store } from './open-store.js';
import { addStation, clean, receipt, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.ingest.findPhashElsewhere', (engine) => {
  let store: Store;
  let cleanup: () => void;
  let t = 1_000_000;
  beforeEach(() => {
    ({ store, cleanup } = tempStore({ ...engineOptions(engine), now: () => (t += 1000) }));
    addStation(store, 'S01');
    addStation(store, 'S02');
  });
  afterEach(() => cleanup());

  const accept = (station: string, key: string, phash: string) => {
    const r = store.photos.receive(receipt(station, key));
    store.photos.complete(r.photo.id, clean({ sha256: key.padEnd(64, '0'), phash }));
    return r.photo.id;
  };
  const find = (station: string, phash: string) => store.ingest.findPhashElsewhere(station, phash, 6, hammingHex);

  it('finds the nearest accepted photo of another station, and follows photos accepted, removed and restored since', () => {
    const a = accept('S01', 'a', 'ffff0000ffff0000');
    expect(find('S02', 'ffff0000ffff0003')).toEqual({ stationNo: 'S01', id: a, distance: 2 });
    expect(find('S01', 'ffff0000ffff0003')).toBeUndefined(); // its own station's photo is not "elsewhere"
    // Accepted after the first call: found at once.
    const b = accept('S01', 'b', '0f0f0f0f0f0f0f0f');
    expect(find('S02', '0f0f0f0f0f0f0f0e')).toEqual({ stationNo: 'S01', id: b, distance: 1 });
    // The nearer of two.
    const c = accept('S01', 'c', 'ffff0000ffff0001');
    expect(find('S02', 'ffff0000ffff0003')).toEqual({ stationNo: 'S01', id: c, distance: 1 });
    // Removed (discarded by its contestant): no longer counts; restored: counts again.
    expect(store.photos.remove(c).kind).toBe('removed');
    expect(find('S02', 'ffff0000ffff0003')?.id).toBe(a);
    store.photos.remove(a);
    expect(find('S02', 'ffff0000ffff0003')).toBeUndefined();
    store.photos.restore(a);
    expect(find('S02', 'ffff0000ffff0003')?.id).toBe(a);
    // A photo still waiting or refused is never matched.
    const waiting = store.photos.receive(receipt('S01', 'w')).photo.id;
    expect(find('S02', '1234123412341234')).toBeUndefined();
    store.photos.complete(waiting, { ...clean({ phash: '1234123412341234' }), status: 'rejected', rejectReason: 'blurry' });
    expect(find('S02', '1234123412341234')).toBeUndefined();
  });
});
