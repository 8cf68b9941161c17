import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stationPaths } from '../store/index.js';
import { testEnv, validId } from '../test/harness.js';
import { assistModelFor } from './models.js';

describe('assistModelFor', () => {
  it('uses the newest adopted assist model, else the base model, never a rejected one', () => {
    const env = testEnv();
    try {
      env.store.stations.create({ stationNo: 'M01', contestantName: 'M', idNumber: validId() });
      const models = join(stationPaths(env.dataDir, 'M01').root, 'models');
      mkdirSync(models, { recursive: true });
      const base = join(env.dataDir, 'base.onnx');
      writeFileSync(base, 'x');
      expect(assistModelFor(env.store, 'M01', base)).toEqual({ path: base, id: 'base' });
      expect(assistModelFor(env.store, 'M01', undefined)).toBeUndefined();

      const add = (adopted: boolean) => {
        const r = env.store.runs.create({ stationNo: 'M01', kind: 'assist', params: {}, chatId: 1 });
        if (r.kind !== 'created') throw new Error('busy');
        writeFileSync(join(models, `${r.run.id}.onnx`), 'x');
        env.store.runs.update(r.run.id, { status: 'completed', metrics: { adopted }, finishedAt: Date.now() + r.run.seq });
        return r.run.id;
      };
      const good = add(true);
      expect(assistModelFor(env.store, 'M01', base)?.id).toBe(good);
      add(false);
      expect(assistModelFor(env.store, 'M01', base)?.id).toBe(good);
    } finally {
      env.cleanup();
    }
  });
});
