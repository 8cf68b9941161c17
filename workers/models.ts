import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stationPaths, type Store } from '../store/index.js';

/**
 * Which detector pre-labels a station's photos: the station's newest adopted assist model
 * (one that beat the model before it on the same val photos) or deployed model once one exists (picked up the moment it does, no restart), else the base model
 * shipped with the project (exported to `DATA_DIR/models/base.onnx`), else none.
 */
export function assistModelFor(store: Store, stationNo: string, basePath: string | undefined): { path: string; id: string } | undefined {
  const candidates = store.runs
    .list(stationNo)
    .filter((r) => (r.kind === 'assist' && r.status === 'completed' && r.metrics?.adopted !== false) || r.deployedAt !== null)
    .sort((a, b) => (b.deployedAt ?? b.finishedAt ?? 0) - (a.deployedAt ?? a.finishedAt ?? 0));
  for (const run of candidates) {
    const path = join(stationPaths(store.dataDir, stationNo).root, 'models', `${run.id}.onnx`);
    if (existsSync(path)) return { path, id: run.id };
  }
  return basePath && existsSync(basePath) && statSync(basePath).size > 0 ? { path: basePath, id: 'base' } : undefined;
}

export function baseModelPath(dataDir: string): string {
  return join(dataDir, 'models', 'base.onnx');
}
