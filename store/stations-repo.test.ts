import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.stations', (engine) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => ({ store, cleanup } = tempStore(engineOptions(engine))));
  afterEach(() => cleanup());

  it('creates a station once and reports an existing one unchanged', () => {
    const first = store.stations.create({ stationNo: 'S01', contestantName: 'Li Lei', idNumber: 'ID-1' });
    expect(first.kind).toBe('created');
    const again = store.stations.create({ stationNo: 'S01', contestantName: 'Han Meimei', idNumber: 'ID-2' });
    expect(again).toEqual({ kind: 'exists', station: first.station, isSameContestant: false });
    expect(store.stations.create({ stationNo: 'S01', contestantName: 'Li Lei', idNumber: 'ID-1' })).toMatchObject({ isSameContestant: true });
    expect(store.stations.get('S01')?.contestantName).toBe('Li Lei');
  });

  it('updates only the given fields and returns undefined for an unknown station', () => {
    store.stations.create({ stationNo: 'S01', contestantName: 'Li Lei', idNumber: 'ID-1' });
    expect(store.stations.update('S01', { idNumber: 'ID-9' })).toMatchObject({ contestantName: 'Li Lei', idMasked: '****' });
    expect(store.stations.update('S01', { contestantName: 'Lily' })).toMatchObject({ contestantName: 'Lily', idMasked: '****' });
    expect(store.stations.handinFolderName('S01')).toBe('LilyID-9');
    expect(store.stations.update('S99', { contestantName: 'X' })).toBeUndefined();
  });

  it('lists stations by number', () => {
    for (const no of ['S03', 'S01', 'S02']) store.stations.create({ stationNo: no, contestantName: no, idNumber: no });
    expect(store.stations.list().map((s) => s.stationNo)).toEqual(['S01', 'S02', 'S03']);
    expect(store.stations.get('S04')).toBeUndefined();
  });
});
