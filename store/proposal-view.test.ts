import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadExamConfigFile } from './exam-config-file.js';
import type { Store } from './open-store.js';
import { proposalView } from './proposal-view.js';
import { addStation, cleanPhoto, tempStore } from './test-fixtures/temp-store.js';

describe('proposalView headline', () => {
  let store: Store;
  let cleanup: () => void;
  const exam = loadExamConfigFile('config/exam.yaml');
  beforeEach(() => {
    ({ store, cleanup } = tempStore());
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
});
