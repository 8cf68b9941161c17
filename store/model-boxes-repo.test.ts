import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { addStation, cleanPhoto, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.modelBoxes', (engine) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => {
    ({ store, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
    addStation(store, 'S02');
  });
  afterEach(() => cleanup());

  const modelBox = (x1: number) => ({ classId: 0, x1, y1: 10, x2: x1 + 100, y2: 120 });
  /** A photo the model `modelId` proposed for, confirmed with a tighter box when `confirm`. */
  function photo(station: string, key: string, modelId: string, confirm: boolean): number {
    const id = cleanPhoto(store, station, key);
    store.modelBoxes.record(id, modelId, [modelBox(5)]);
    store.labels.addVersion(id, { kind: 'proposal', author: 'model', modelId, boxes: [{ ...modelBox(6), source: 'model', score: 0.9 }] });
    if (confirm) {
      const v = store.labels.addVersion(id, { kind: 'label', author: 1, boxes: [{ classId: 0, x1: 8, y1: 10, x2: 105, y2: 110, source: 'human' }] });
      store.labels.confirm(id, v);
    }
    return id;
  }

  it('gives a station’s confirmed photos of one model, newest first, with the confirmed boxes', () => {
    const a = photo('S01', 'a', 'base', true);
    photo('S01', 'b', 'base', false); // not confirmed
    photo('S01', 'c', 'S01-a1', true); // another model
    photo('S02', 'd', 'base', true); // another station
    const e = photo('S01', 'e', 'base', true);
    const pairs = store.modelBoxes.pairs('S01', 'base', 10);
    expect(pairs.map((p) => p.photoId)).toEqual([e, a]);
    expect(pairs[0]).toEqual({ photoId: e, proposed: [modelBox(5)], confirmed: [{ classId: 0, x1: 8, y1: 10, x2: 105, y2: 110 }] });
    expect(store.modelBoxes.pairs('S01', 'base', 1).map((p) => p.photoId)).toEqual([e]);
  });

  it('keeps the first record of a photo', () => {
    const id = photo('S01', 'a', 'base', true);
    store.modelBoxes.record(id, 'base', [modelBox(50)]);
    expect(store.modelBoxes.pairs('S01', 'base', 10)[0]?.proposed).toEqual([modelBox(5)]);
  });
});
