import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { addStation, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.users', (engine) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => ({ store, cleanup } = tempStore(engineOptions(engine))));
  afterEach(() => cleanup());

  it('upsert creates with lang zh, then refreshes chat id and keeps lang unless given', () => {
    const u = store.users.upsert({ userId: 10, chatId: 100 });
    expect(u).toMatchObject({ userId: 10, chatId: 100, lang: 'zh', role: 'contestant', stationNo: null, wizard: null });
    expect(store.users.setLang(10, 'en')?.lang).toBe('en');
    const again = store.users.upsert({ userId: 10, chatId: 101 });
    expect(again).toMatchObject({ chatId: 101, lang: 'en', createdAt: u.createdAt });
    expect(again.updatedAt).toBeGreaterThan(u.updatedAt);
    expect(store.users.upsert({ userId: 10, chatId: 101, lang: 'zh' }).lang).toBe('zh');
    expect(store.users.upsert({ userId: 11, chatId: 1, lang: 'en' }).lang).toBe('en');
  });

  it('stores and clears a wizard as JSON', () => {
    store.users.upsert({ userId: 10, chatId: 100 });
    const wizard = { step: 'name', draft: { stationNo: 'S01', nested: { a: [1, 2] } } };
    expect(store.users.setWizard(10, wizard)?.wizard).toEqual(wizard);
    expect(store.users.get(10)?.wizard).toEqual(wizard);
    expect(store.users.setWizard(10, null)?.wizard).toBeNull();
  });

  it('binds a station with a role, sets the active combo, lists by station', () => {
    addStation(store, 'S01');
    store.users.upsert({ userId: 10, chatId: 100 });
    store.users.upsert({ userId: 11, chatId: 110 });
    store.users.upsert({ userId: 12, chatId: 120 });
    expect(store.users.bindStation(10, 'S01', 'contestant')).toMatchObject({ stationNo: 'S01', role: 'contestant' });
    expect(store.users.bindStation(11, 'S01', 'proctor')?.role).toBe('proctor');
    expect(store.users.setActiveCombo(10, '0+2')?.activeCombo).toBe('0+2');
    expect(store.users.setActiveCombo(10, null)?.activeCombo).toBeNull();
    expect(store.users.listByStation('S01').map((u) => u.userId)).toEqual([10, 11]);
    expect(store.users.listByStation('S02')).toEqual([]);
  });

  it('setters return undefined for an unknown user', () => {
    expect(store.users.get(99)).toBeUndefined();
    expect(store.users.setLang(99, 'en')).toBeUndefined();
    expect(store.users.setWizard(99, null)).toBeUndefined();
    expect(store.users.setActiveCombo(99, '0')).toBeUndefined();
  });
});
