import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../core/index.js';
import { testEnv } from '../../test/harness.js';
import { confirmBoxes, seedPhoto, seedStation } from '../../test/seed-photo.js';
import { loadCheckPhotos } from './inputs.js';

/**
 * What `/check` reads: confirmed boxes, the detector's latest proposal, and edges measured
 * once per (photo, label version): a Refresh after one fix decodes only that photo.
 */
describe('check inputs', () => {
  let env: ReturnType<typeof testEnv>;
  beforeEach(() => {
    env = testEnv();
  });
  afterEach(() => env.cleanup());

  it('decodes confirmed photos once per label version, never unconfirmed ones, and passes the proposal as detections', async () => {
    seedStation(env, 'C01', 6101, '11010519900307301');
    const a = await seedPhoto(env, 'C01', ['gauge_normal'], 41);
    const b = await seedPhoto(env, 'C01', ['digital'], 42);
    const c = await seedPhoto(env, 'C01', ['gauge_abnormal'], 43);
    env.store.labels.addVersion(a.id, { kind: 'proposal', author: 'model', boxes: a.boxes.map((x) => ({ ...x, source: 'model' as const, score: 0.8 })) });
    confirmBoxes(env, a.id, a.boxes);
    confirmBoxes(env, b.id, b.boxes);
    env.store.labels.addVersion(c.id, { kind: 'proposal', author: 'model', boxes: c.boxes.map((x) => ({ ...x, source: 'model' as const, score: 0.7 })) });

    const first = await loadCheckPhotos(env.store, 'C01');
    expect(first.stats).toEqual({ decoded: 2, cached: 0 });
    const pa = first.photos.find((p) => p.id === a.id);
    expect(pa?.detections?.map((d) => d.score)).toEqual([0.8]);
    expect(pa?.edges).toHaveLength(a.boxes.length);
    expect(first.photos.find((p) => p.id === c.id)?.edges).toBeUndefined();
    expect(runCheck({ exam: env.exam, photos: first.photos }).filter((f) => f.photoId !== null).map((f) => [f.photoId, f.kind])).toEqual([[c.id, 'unconfirmed']]);

    expect((await loadCheckPhotos(env.store, 'C01')).stats).toEqual({ decoded: 0, cached: 2 });
    confirmBoxes(env, b.id, b.boxes.map((x) => ({ ...x, x1: x.x1 + 1 })));
    expect((await loadCheckPhotos(env.store, 'C01')).stats).toEqual({ decoded: 1, cached: 1 });
  });
});
