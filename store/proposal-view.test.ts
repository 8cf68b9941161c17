import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, engineOptions } from '../test/postgres.js';
import { loadExamConfigFile } from './exam-config-file.js';
import type { Store } from './open-store.js';
import { proposalCaption } from '../core/index.js';
import { proposalView } from './proposal-view.js';
import { addStation, cleanPhoto, tempStore } from './test-fixtures/temp-store.js';

describeEngines('proposalView headline', (engine) => {
  let store: Store;
  let cleanup: () => void;
  const exam = loadExamConfigFile('config/exam.yaml');
  beforeEach(() => {
    ({ store, cleanup } = tempStore(engineOptions(engine)));
    addStation(store, 'S01');
  });
  afterEach(() => cleanup());

  // Issue 11 point 7: /label on an older photo showed the combo's count now (4/10), not the photo's place.
  it("shows the photo's own number within its combo, not the combo's current count", () => {
    const ids = ['a', 'b', 'c', 'd'].map((k) => cleanPhoto(store, 'S01', k, '0'));
    cleanPhoto(store, 'S01', 'other', '2');
    const second = store.photos.get(ids[1] ?? 0);
    if (!second) throw new Error('seed failed');
    const headline = proposalView(store, exam, second, 'en').headline;
    expect(headline).toMatch(/ 2\/10 /);
    expect(headline).not.toMatch(/ 4\/10 /);
    const last = store.photos.get(ids[3] ?? 0);
    if (!last) throw new Error('seed failed');
    expect(proposalView(store, exam, last, 'en').headline).toMatch(/ 4\/10 /);
  });

  // Issue 11 point 8: "combo full, switched" vanished when Confirm redrew the caption.
  it('keeps the "combo full, switched" notice on the photo that completed its combo, confirmed or not', () => {
    const ids = Array.from({ length: 10 }, (_, i) => cleanPhoto(store, 'S01', `k${i}`, '0'));
    const tenth = ids[9] ?? 0;
    const v = store.labels.addVersion(tenth, { kind: 'label', author: 1, boxes: [{ classId: 0, x1: 1, y1: 1, x2: 50, y2: 50, source: 'human', score: null }] });
    const caption = () => {
      const photo = store.photos.get(tenth);
      if (!photo) throw new Error('seed failed');
      return proposalCaption(proposalView(store, exam, photo, 'en'), exam.classes, 'en');
    };
    expect(caption()).toContain('is complete: 10 photos');
    expect(caption()).toContain('switched for you');
    store.labels.confirm(tenth, v);
    expect(caption()).toContain('Label confirmed');
    expect(caption()).toContain('is complete: 10 photos');
    const ninth = store.photos.get(ids[8] ?? 0);
    if (!ninth) throw new Error('seed failed');
    expect(proposalCaption(proposalView(store, exam, ninth, 'en'), exam.classes, 'en')).not.toContain('is complete');
  });
});
