import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Manifest } from './dataset.js';
import { generatePlanDataset, planFolders } from './plan-dataset.js';
import { DEFAULT_CLASSES } from './types.js';

describe('generatePlanDataset', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plans the default exam: 10 per single, 20 per pair, 10 for the triple, 100 in all', () => {
    const folders = planFolders(DEFAULT_CLASSES);
    expect(folders.map((f) => [f.folder, f.quota])).toEqual([
      ['01-gauge_normal', 10],
      ['02-gauge_abnormal', 10],
      ['03-digital', 10],
      ['04-gauge_normal+gauge_abnormal', 20],
      ['05-gauge_normal+digital', 20],
      ['06-gauge_abnormal+digital', 20],
      ['07-gauge_normal+gauge_abnormal+digital', 10],
    ]);
    expect(folders.reduce((n, f) => n + f.quota, 0)).toBe(100);
  });

  it('writes exactly the plan: one folder per combo, each photo showing exactly its combo', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'synth-plan-'));
    // Small quotas keep the test short; the folder logic is the same as 10/20/10.
    const r = await generatePlanDataset({ out: dir, seed: 5, classes: DEFAULT_CLASSES, width: 160, height: 120, quotas: { 1: 2, 2: 3, 3: 1 } });
    expect(r.images).toBe(3 * 2 + 3 * 3 + 1);
    expect((await readdir(dir)).sort()).toEqual([...r.folders.map((f) => f.folder), 'plan.json'].sort());
    const names = new Set<string>();
    for (const f of r.folders) {
      const manifest = JSON.parse(await readFile(path.join(dir, f.folder, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest.images).toHaveLength(f.quota);
      expect(await readdir(path.join(dir, f.folder, 'images'))).toHaveLength(f.quota);
      const ids = f.combo.map((k) => DEFAULT_CLASSES.find((c) => c.key === k)?.id).sort();
      for (const im of manifest.images) {
        expect([...new Set(im.boxes.map((b) => b.classId))].sort()).toEqual(ids);
        names.add(path.basename(im.path));
      }
    }
    expect(names.size).toBe(r.images); // names differ across folders
    expect(JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8'))).toMatchObject({ total: r.images });
  });
});
