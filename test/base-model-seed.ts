import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ExamConfig } from '../core/index.js';
import { BASE_CHECKPOINT } from '../workers/base-model.js';
import { baseModelPath } from '../workers/models.js';

/**
 * Puts a small fixture detector where a workers *process* looks for the base model, stamped
 * as exported from the shipped checkpoint, so the process starts at once instead of spending
 * a minute of Python on a loaded machine exporting it. (In-process workers take `baseModel`.)
 */
export function seedBaseModel(dataDir: string, exam: ExamConfig, model = resolve('vision/detector/fixtures/detector-alt.onnx')): void {
  const out = baseModelPath(resolve(dataDir));
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(model, out);
  writeFileSync(`${out}.json`, JSON.stringify({ classes: exam.classes.map((c) => ({ id: c.id, key: c.key })) }));
  writeFileSync(`${out}.source`, `${createHash('sha256').update(readFileSync(BASE_CHECKPOINT)).digest('hex')}\n`);
}
