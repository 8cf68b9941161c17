import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadThreadDetector, type Detector } from '../../vision/index.js';

/**
 * The web process's ONNX sessions, one per model file, with a lifetime the service
 * controls (vision's `getDetector` keeps every file's session for the process's life and
 * releases a replaced one on a timer):
 *
 * - a request holds its session from start to end (`use`), so a redeploy or a replaced
 *   file never closes a session a request is still using: the old one is released when
 *   its last request finishes;
 * - at most `maxModels` sessions stay loaded; beyond that the least recently used idle
 *   one is released (a hundred stations each deploying several runs must not keep
 *   every session ever loaded).
 */

/** The model file is missing or not a valid detector: the service cannot answer (503). */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
}

interface Entry {
  readonly file: string;
  readonly mtimeMs: number;
  readonly size: number;
  readonly detector: Promise<Detector>;
  inFlight: number;
}

export interface ModelCacheOptions {
  /** Sessions kept loaded (idle ones beyond this are released, least recently used first). */
  maxModels: number;
  /** onnxruntime intra-op threads per session. */
  threads: number;
}

export class ModelCache {
  /** Current sessions by absolute file; Map order is recency (most recent last). */
  private readonly entries = new Map<string, Entry>();
  /** Sessions of replaced files, released when their last request ends. */
  private readonly retiring = new Set<Entry>();

  constructor(private readonly opts: ModelCacheOptions) {
    if (!Number.isInteger(opts.maxModels) || opts.maxModels < 1) throw new RangeError(`maxModels must be an integer ≥ 1, got ${opts.maxModels}`);
  }

  /** Sessions loaded now (current and retiring), for tests and health. */
  get size(): number {
    return this.entries.size + this.retiring.size;
  }

  /**
   * Runs `fn` with the session of the model at `file`, loading it (or reloading it when
   * the file's mtime or size changed) first. Throws {@link ModelUnavailableError} when
   * the file is missing or cannot be loaded; what `fn` throws passes through.
   */
  async use<T>(file: string, fn: (detector: Detector) => Promise<T>): Promise<T> {
    const abs = path.resolve(file);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      throw new ModelUnavailableError(`model ${path.basename(abs)} is missing (${(err as Error).message})`, { cause: err });
    }
    // From here to `inFlight++` nothing awaits, so no sweep can release this entry first.
    const entry = this.acquire(abs, st.mtimeMs, st.size);
    entry.inFlight++;
    try {
      let detector: Detector;
      try {
        detector = await entry.detector;
      } catch (err) {
        throw new ModelUnavailableError(`model ${path.basename(abs)} cannot be loaded (${(err as Error).message})`, { cause: err });
      }
      return await fn(detector);
    } finally {
      entry.inFlight--;
      this.sweep();
    }
  }

  /** Releases every session (process shutdown, tests). */
  async close(): Promise<void> {
    const all = [...this.entries.values(), ...this.retiring];
    this.entries.clear();
    this.retiring.clear();
    await Promise.all(all.map((e) => release(e)));
  }

  private acquire(file: string, mtimeMs: number, size: number): Entry {
    const hit = this.entries.get(file);
    this.entries.delete(file);
    if (hit && hit.mtimeMs === mtimeMs && hit.size === size) {
      this.entries.set(file, hit);
      return hit;
    }
    if (hit) this.retiring.add(hit);
    const entry: Entry = { file, mtimeMs, size, detector: loadThreadDetector(file, { threads: this.opts.threads }), inFlight: 0 };
    // A failed load is not kept: the next request tries again (e.g. the file was half-written).
    entry.detector.catch(() => {
      if (this.entries.get(file) === entry) this.entries.delete(file);
    });
    this.entries.set(file, entry);
    this.sweep();
    return entry;
  }

  private sweep(): void {
    for (const e of this.retiring) {
      if (e.inFlight > 0) continue;
      this.retiring.delete(e);
      void release(e);
    }
    if (this.entries.size <= this.opts.maxModels) return;
    for (const e of [...this.entries.values()]) {
      if (this.entries.size <= this.opts.maxModels) break;
      if (e.inFlight > 0) continue;
      this.entries.delete(e.file);
      void release(e);
    }
  }
}

function release(e: Entry): Promise<void> {
  return e.detector.then((d) => d.close(), () => undefined);
}
