import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger, testEnv } from '../test/harness.js';
import { BASE_CHECKPOINT, ensureBaseModel } from './base-model.js';

describe('ensureBaseModel', () => {
  it('exports the shipped checkpoint once, again when it changed or an export was cut short, and refuses other classes', async () => {
    const env = testEnv();
    const { log, lines } = memoryLogger('workers');
    try {
      const checkpoint = join(env.dataDir, 'ck.pt');
      copyFileSync(BASE_CHECKPOINT, checkpoint);
      const out = await ensureBaseModel(env.config, env.exam, log, checkpoint);
      expect(out).toBe(join(env.dataDir, 'models', 'base.onnx'));
      const first = statSync(out ?? '').mtimeMs;
      expect(readFileSync(`${out}.source`, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

      // Unchanged checkpoint: no export.
      expect(await ensureBaseModel(env.config, env.exam, log, checkpoint)).toBe(out);
      expect(statSync(out ?? '').mtimeMs).toBe(first);

      // Made from another checkpoint (an upgraded project) or never finished: exported again.
      writeFileSync(`${out}.source`, 'made-from-an-older-checkpoint\n');
      expect(await ensureBaseModel(env.config, env.exam, log, checkpoint)).toBe(out);
      expect(statSync(out ?? '').mtimeMs).toBeGreaterThan(first);
      expect(lines.filter((l) => l.includes('base model exported'))).toHaveLength(2);

      // An exam with other classes does not use it.
      const other = { ...env.exam, classes: env.exam.classes.map((c) => ({ ...c, key: `${c.key}_x` })) };
      expect(await ensureBaseModel(env.config, other, log, checkpoint)).toBeUndefined();
      expect(await ensureBaseModel(env.config, env.exam, log, join(env.dataDir, 'missing.pt'))).toBeUndefined();
    } finally {
      env.cleanup();
    }
  }, 120_000);
});
