import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../core/index.js';
import { testEnv, validId } from '../../test/harness.js';
import { writeManifest } from './manifest.js';

/** The trainer's manifest for an assist run that starts after only a few confirmed photos. */
describe('assist manifest', () => {
  const env = testEnv();
  afterAll(() => env.cleanup());

  function confirm(station: string, combos: string[], from: number): void {
    combos.forEach((combo, i) => {
      const { photo } = env.store.photos.receive({ stationNo: station, tgFileId: `f${from + i}`, tgFileUniqueId: `u${from + i}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: from + i, combo });
      env.store.photos.complete(photo.id, { status: 'clean', sha256: `s${from + i}`, phash: '0'.repeat(16), format: 'jpeg', width: 640, height: 480, sharpness: 100, meanLuma: 100, darkFraction: 0, brightFraction: 0, rawPath: '/x', imagePath: `/x/${from + i}.jpg` });
      const ids = combo.split('+').map(Number);
      const v = env.store.labels.addVersion(photo.id, { kind: 'label', author: 1, boxes: ids.map((c, k) => ({ classId: c, x1: 10 + k * 100, y1: 10, x2: 90 + k * 100, y2: 90, source: 'human' as const })) });
      env.store.labels.confirm(photo.id, v);
    });
  }

  function run(station: string, kind: 'assist' | 'train') {
    const created = env.store.runs.create({ stationNo: station, kind, params: { ...PRESETS.assist }, chatId: 1 });
    if (created.kind !== 'created') throw new Error('busy');
    return { ...created.run, dir: mkdtempSync(join(env.dataDir, 'run-')) };
  }

  it('holds out the newest confirmed photo when the split gives an assist run no val photo', async () => {
    env.store.stations.create({ stationNo: 'M01', contestantName: 'M', idNumber: validId() });
    // three photos, three combos: every combo has fewer than 3 photos, so the split puts none in val
    confirm('M01', ['0', '0+1', '0+1+2'], 100);
    const { images } = await writeManifest(env.store, env.exam, run('M01', 'assist'), PRESETS.assist);
    expect(images.map((i) => i.split)).toEqual(['train', 'train', 'val']);
    expect(images.find((i) => i.split === 'val')?.photoId).toBe(Math.max(...images.map((i) => i.photoId)));
  });

  it('keeps the split as it is for a contestant’s run and when it already has val photos', async () => {
    env.store.stations.create({ stationNo: 'M02', contestantName: 'N', idNumber: validId() });
    confirm('M02', ['0', '0+1', '0+1+2'], 200);
    const own = await writeManifest(env.store, env.exam, run('M02', 'train'), PRESETS.assist);
    expect(own.images.map((i) => i.split)).toEqual(['train', 'train', 'train']);
    env.store.runs.update(`M02-r1`, { status: 'completed' });
    confirm('M02', ['0', '0'], 300); // combo '0' now has 3 photos: one goes to val by the split
    const assist = await writeManifest(env.store, env.exam, run('M02', 'assist'), PRESETS.assist);
    expect(assist.images.filter((i) => i.split === 'val')).toHaveLength(1);
    // the split's own val photo, from the combo that has three
    const val = assist.images.find((i) => i.split === 'val');
    expect(val?.boxes.map((b) => b.classId)).toEqual([0]);
  });
});
