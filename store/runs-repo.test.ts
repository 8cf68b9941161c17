import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import { addStation, tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.runs', (engine) => {
  let store: Store;
  let dataDir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ store, dataDir, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
    addStation(store, 'S02');
  });
  afterEach(() => cleanup());

  const train = (stationNo = 'S01') => store.runs.create({ stationNo, kind: 'train', params: { epochs: 10 }, chatId: 5 });

  it('names runs <station>-r1, -r2 per station and places them under runs/', () => {
    const r1 = train();
    expect(r1.kind).toBe('created');
    expect(r1.run).toMatchObject({
      id: 'S01-r1',
      seq: 1,
      status: 'queued',
      params: { epochs: 10 },
      attempts: 0,
      chatId: 5,
      dir: path.join(dataDir, 'stations', 'S01', 'runs', 'S01-r1'),
    });
    store.runs.update('S01-r1', { status: 'completed' });
    expect(train().run.id).toBe('S01-r2');
    expect(train('S02').run.id).toBe('S02-r1');
    expect(store.runs.create({ stationNo: 'S01', kind: 'assist', params: {}, chatId: null }).run.id).toBe('S01-a1');
    expect(store.runs.list('S01').map((r) => r.id)).toEqual(['S01-a1', 'S01-r2', 'S01-r1']);
  });

  it('numbers contestant runs on their own: assist runs before the first /train do not take r1, r2', () => {
    addStation(store, 'S03');
    for (let i = 0; i < 2; i++) {
      const a = store.runs.create({ stationNo: 'S03', kind: 'assist', params: {}, chatId: null }).run;
      store.runs.update(a.id, { status: 'completed' });
    }
    expect(train('S03').run).toMatchObject({ id: 'S03-r1', seq: 3 });
    expect(store.runs.list('S03').map((r) => r.id)).toEqual(['S03-r1', 'S03-a2', 'S03-a1']);
  });

  it('refuses a second active training run of a station', () => {
    const first = train();
    const second = train();
    expect(second).toEqual({ kind: 'busy', run: first.run });
    // Assist runs and other stations are not blocked.
    expect(store.runs.create({ stationNo: 'S01', kind: 'assist', params: {}, chatId: null }).kind).toBe('created');
    expect(train('S02').kind).toBe('created');
    store.runs.update(first.run.id, { status: 'running' });
    expect(train().kind).toBe('busy');
    store.runs.update(first.run.id, { status: 'stopped' });
    expect(train().kind).toBe('created');
  });

  it('the database itself refuses a second active training run', () => {
    train();
    const stopped = train();
    expect(stopped.kind).toBe('busy');
    store.runs.update('S01-r1', { status: 'failed' });
    train(); // S01-r2 queued
    expect(() => store.runs.update('S01-r1', { status: 'queued' })).toThrow(/UNIQUE constraint|violates unique constraint/);
  });

  it('update changes only given fields, stamps start and finish, and honours onlyIfStatus', () => {
    const { run } = train();
    const running = store.runs.update(run.id, { status: 'running', progress: { epoch: 1 }, progressMessageId: 77 });
    expect(running).toMatchObject({ status: 'running', progress: { epoch: 1 }, progressMessageId: 77, finishedAt: null });
    expect(running?.startedAt).toEqual(expect.any(Number));
    const withMetrics = store.runs.update(run.id, { metrics: { map50: 0.8 }, attempts: 1 });
    expect(withMetrics).toMatchObject({ status: 'running', progress: { epoch: 1 }, metrics: { map50: 0.8 }, attempts: 1 });
    expect(withMetrics?.startedAt).toBe(running?.startedAt);

    const stopped = store.runs.update(run.id, { status: 'stopped', progress: null });
    expect(stopped).toMatchObject({ status: 'stopped', progress: null });
    expect(stopped?.finishedAt).toEqual(expect.any(Number));
    // A late progress report must not revive a stopped run.
    expect(store.runs.update(run.id, { status: 'running' }, { onlyIfStatus: ['queued', 'running'] })).toBeUndefined();
    expect(store.runs.get(run.id)?.status).toBe('stopped');
    expect(store.runs.update('S01-r9', { error: 'x' })).toBeUndefined();
  });

  it('getForStation refuses a run of another station', () => {
    const { run } = train();
    expect(store.runs.getForStation('S01', run.id)?.id).toBe(run.id);
    expect(store.runs.getForStation('S02', run.id)).toBeUndefined();
    expect(store.runs.get('nope')).toBeUndefined();
  });

  it('active, latestCompleted, setDeployed and deployed', () => {
    expect(store.runs.active('S01')).toBeUndefined();
    const r1 = train().run;
    expect(store.runs.active('S01')?.id).toBe(r1.id);
    expect(store.runs.setDeployed(r1.id).kind).toBe('not-completed');
    store.runs.update(r1.id, { status: 'completed' });
    expect(store.runs.active('S01')).toBeUndefined();
    const a = store.runs.create({ stationNo: 'S01', kind: 'assist', params: {}, chatId: null }).run;
    store.runs.update(a.id, { status: 'completed' });
    const r3 = train().run;
    store.runs.update(r3.id, { status: 'completed' });

    expect(store.runs.latestCompleted('S01')?.id).toBe(r3.id);
    expect(store.runs.latestCompleted('S01', 'assist')?.id).toBe(a.id);
    expect(store.runs.latestCompleted('S02')).toBeUndefined();

    expect(store.runs.deployed('S01')).toBeUndefined();
    expect(store.runs.setDeployed(r3.id).kind).toBe('deployed');
    expect(store.runs.deployed('S01')?.id).toBe(r3.id);
    expect(store.runs.setDeployed(r1.id).kind).toBe('deployed'); // roll back to an older model
    expect(store.runs.deployed('S01')?.id).toBe(r1.id);
    expect(store.runs.setDeployed('S01-r99').kind).toBe('not-found');
  });
});
