/**
 * `loadThreadDetector`: the same detector as `loadDetector`, with the ONNX session in a
 * worker thread (`session-worker.mjs`). onnxruntime-node's `run` blocks the thread that
 * calls it for the whole inference, so in the web process every detect request stalled
 * every other request behind it (the box editor's photo GET waited 0.7–0.9 s while four
 * clients called detect). Here the main thread only prepares the input tensor and picks
 * the detections; the model runs beside it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Detection } from '../../core/index.js';
import type { RawImage } from '../image/types.js';
import { DetectorModelError, INPUT_NAMES, OUTPUT_NAMES } from './contract.js';
import { DEFAULT_DETECTOR_THREADS, detectPlan, pickDetections, type DetectOptions, type Detector, type DetectorOptions } from './detector.js';
import { fillChw } from './preprocess.js';

type Reply = { id: number; boxes: Float32Array; labels: BigInt64Array; scores: Float32Array; input: Float32Array<ArrayBuffer> } | { id: number; error: string };
type Ready = { ready: true; inputNames: string[]; outputNames: string[] } | { ready: false; error: string };

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Loads the model at `modelPath` in its own worker thread and checks its input and output
 * names against the trainer's contract. Throws `DetectorModelError` for a file onnxruntime
 * cannot load or one with other inputs/outputs; a missing file throws `ENOENT`.
 */
export async function loadThreadDetector(modelPath: string, opts: DetectorOptions = {}): Promise<Detector> {
  const file = path.resolve(modelPath);
  const threads = opts.threads ?? DEFAULT_DETECTOR_THREADS;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  const { mtimeMs } = await stat(file);
  const worker = new Worker(new URL('./session-worker.mjs', import.meta.url), { workerData: { modelPath: file, threads } });
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once('message', (m: Ready) => resolve(m));
    worker.once('error', reject);
  });
  const bad = !ready.ready
    ? `cannot be loaded by onnxruntime (${ready.error})`
    : !same(ready.inputNames, INPUT_NAMES) || !same(ready.outputNames, OUTPUT_NAMES)
      ? `has inputs ${JSON.stringify(ready.inputNames)} and outputs ${JSON.stringify(ready.outputNames)}; the contract is ${JSON.stringify(INPUT_NAMES)} → ${JSON.stringify(OUTPUT_NAMES)}`
      : undefined;
  if (bad) {
    await worker.terminate();
    throw new DetectorModelError(file, bad);
  }
  return new ThreadDetector(file, mtimeMs, worker);
}

class ThreadDetector implements Detector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  /** Tail of the queue of calls: one inference at a time per session, in call order. */
  private tail: Promise<unknown> = Promise.resolve();
  private isClosed = false;
  /** The last input buffer, handed back by the model thread: reused while the size stays (calls are serialised). */
  private spare: Float32Array<ArrayBuffer> | undefined;

  constructor(
    readonly modelPath: string,
    readonly modelMtimeMs: number,
    private readonly worker: Worker,
  ) {
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
    });
    // A worker that dies fails what it was doing; later calls fail too (the cache loads a new one).
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => this.failAll(new Error(`the model thread for ${modelPath} stopped`)));
  }

  detect(image: RawImage, opts: DetectOptions = {}): Promise<Detection[]> {
    if (this.isClosed) {
      return Promise.reject(new Error(`detector for ${this.modelPath} is closed (its model was replaced or the process is stopping)`));
    }
    return this.enqueue(() => this.run(image, opts));
  }

  close(): Promise<void> {
    if (this.isClosed) return this.tail.then(() => undefined);
    this.isClosed = true;
    return this.enqueue(async () => {
      this.worker.postMessage({ close: true });
      await this.worker.terminate();
    });
  }

  private failAll(err: Error): void {
    this.isClosed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(image: RawImage, opts: DetectOptions): Promise<Detection[]> {
    const plan = detectPlan(image, opts);
    const { size } = plan;
    // Handed over to the model thread, which hands it back with the reply (megabytes a photo otherwise for the GC).
    const length = 3 * size.width * size.height;
    const input: Float32Array<ArrayBuffer> = this.spare?.length === length ? this.spare : new Float32Array(length);
    this.spare = undefined;
    fillChw(image, size, input);
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, input, dims: [3, size.height, size.width] }, [input.buffer]);
    });
    if ('error' in reply) throw new DetectorModelError(this.modelPath, `failed to run: ${reply.error}`);
    this.spare = reply.input;
    return pickDetections(this.modelPath, reply, plan);
  }
}
