import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import type { Store } from './open-store.js';
import type { ImportedPhoto } from './dataset-repo.js';
import { tempStore } from './test-fixtures/temp-store.js';

describeEngines('store.dataset', (engine) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => ({ store, cleanup } = tempStore(engineOptions(engine))));
  afterEach(() => cleanup());

  const photo = (sha: string, split: 'train' | 'val' = 'train'): ImportedPhoto => ({
    sha256: sha,
    imagePath: `/data/${sha}.jpg`,
    format: 'jpg',
    width: 100,
    height: 80,
    combo: '0+2',
    split,
    boxes: [
      { classId: 0, x1: 1, y1: 2, x2: 30, y2: 40 },
      { classId: 2, x1: 50, y1: 10, x2: 90, y2: 70 },
    ],
  });

  it('loose /import documents: kept per user and station, a name sent again replaces, the limit counts files, clear forgets', () => {
    store.stations.create({ stationNo: 'S02', contestantName: '李雷', idNumber: '110105199003071234' });
    const doc = (name: string, messageId: number) => ({ fileId: `f-${name}-${messageId}`, fileName: name, size: 10, messageId });
    expect(store.dataset.addUpload(7, 'S02', doc('data.yaml', 1), 2)).toEqual({ kind: 'added', count: 1 });
    expect(store.dataset.addUpload(7, 'S02', doc('a.jpg', 2), 2)).toEqual({ kind: 'added', count: 2 });
    expect(store.dataset.addUpload(7, 'S02', doc('b.jpg', 3), 2)).toEqual({ kind: 'too-many', count: 2 });
    expect(store.dataset.addUpload(7, 'S02', doc('a.jpg', 4), 2)).toEqual({ kind: 'replaced', count: 2 });
    expect(store.dataset.uploads(7, 'S02').map((u) => [u.fileName, u.fileId, u.messageId])).toEqual([
      ['data.yaml', 'f-data.yaml-1', 1],
      ['a.jpg', 'f-a.jpg-4', 4],
    ]);
    expect(store.dataset.uploads(8, 'S02')).toEqual([]);
    store.dataset.clearUploads(7, 'S02');
    expect(store.dataset.uploads(7, 'S02')).toEqual([]);
  });

  it('an import adds confirmed photos with their boxes and split; the same bytes again add nothing', () => {
    store.stations.create({ stationNo: 'S01', contestantName: '李雷', idNumber: '110105199003071234' });
    const meta = { format: 'yolo' as const, fileName: 'std.zip', author: 7, chatId: 7 };
    const first = store.dataset.addImport('S01', meta, [photo('a'), photo('b', 'val')]);
    expect(first).toMatchObject({ added: 2, skipped: 0, record: { photos: 2, boxes: 4, format: 'yolo' } });
    const listed = store.labels.listConfirmed('S01');
    expect(listed.map((c) => [c.photo.status, c.boxes.length, c.photo.combo])).toEqual([
      ['confirmed', 2, '0+2'],
      ['confirmed', 2, '0+2'],
    ]);
    expect([...store.dataset.splitOf('S01').values()]).toEqual(['train', 'val']);
    const again = store.dataset.addImport('S01', meta, [photo('a'), photo('c')]);
    expect(again).toMatchObject({ added: 1, skipped: 1 });
    expect(store.labels.listConfirmed('S01')).toHaveLength(3);
    expect(store.dataset.imports('S01').map((i) => i.photos)).toEqual([2, 1]);
  });

  it('a recorded split never changes', () => {
    store.stations.create({ stationNo: 'S01', contestantName: 'x', idNumber: 'y' });
    store.dataset.addImport('S01', { format: 'coco', fileName: 'z.zip', author: 1, chatId: 1 }, [photo('a')]);
    const [id] = store.dataset.splitOf('S01').keys();
    store.dataset.recordSplit('S01', new Map([[id ?? 0, 'val']]));
    expect(store.dataset.splitOf('S01').get(id ?? 0)).toBe('train');
  });
});
