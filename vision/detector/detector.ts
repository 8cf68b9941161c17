/**
 * `loadDetector`: one ONNX detector session (the trainer's contract, see `contract.ts`)
 * and the work around it: preprocessing into a reused tensor, inference, scaling the
 * boxes to the photo, threshold and class-agnostic NMS.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { SELECT_DEFAULTS, selectDetections, type Detection } from '../../core/index.js';
import type { RawImage } from '../image/types.js';
import { checkContract, DetectorModelError } from './contract.js';
import { fillChw, fitInside } from './preprocess.js';

/** Options of {@link Detector.detect}. */
export interface DetectOptions {
  /** Keep detections with at least this score, 0..1. Default 0.3. */
  readonly scoreThreshold?: number;
  /** Class-agnostic NMS: a box overlapping a better one with IoU above this is dropped. Default 0.5. */
  readonly nmsIou?: number;
  /** Long side, px, of the tensor fed to the model; the image is downscaled to it, never enlarged. Default 640. */
  readonly maxSide?: number;
  /**
   * Size, px, of the image the returned boxes refer to when `image` is a smaller copy
   * of it (e.g. `InspectOk.display` with the photo's `width`/`height`: the oriented
   * full-resolution photo). Default: the size of `image`.
   */
  readonly sourceSize?: { readonly width: number; readonly height: number };
  /** Box voting IoU (see `selectDetections`); `false`: off. Default `SELECT_DEFAULTS.voteIou`. */
  readonly voteIou?: number | false;
  /** Part suppression share (see `selectDetections`); `false`: off. Default `SELECT_DEFAULTS.containedShare`. */
  readonly containedShare?: number | false;
}

/** Defaults of {@link DetectOptions}. */
export const DETECT_DEFAULTS = { scoreThreshold: 0.3, nmsIou: 0.5, maxSide: 640 } as const;

/** Options of {@link loadDetector}. */
export interface DetectorOptions {
  /**
   * onnxruntime intra-op threads. Default 1: on the 2-core target one thread was faster
   * per image than two for SSDLite (see the detector bench), and it leaves a core to the
   * rest of the worker.
   */
  readonly threads?: number;
}

/** onnxruntime intra-op threads used unless {@link DetectorOptions.threads} says otherwise. */
export const DEFAULT_DETECTOR_THREADS = 1;

/** A loaded model. Calls to `detect` run one at a time, in call order. */
export interface Detector {
  /** Absolute path of the model file. */
  readonly modelPath: string;
  /** Modification time (ms since the epoch) of the model file when it was loaded. */
  readonly modelMtimeMs: number;
  /**
   * Detections in `image` (sRGB or grey pixels), in pixels of `sourceSize`, clamped to
   * it, highest score first; never two boxes of one object with different labels.
   */
  detect(image: RawImage, opts?: DetectOptions): Promise<Detection[]>;
  /** Releases the session after the detections already asked for; `detect` then throws. */
  close(): Promise<void>;
}

/**
 * Loads the ONNX model at `modelPath` and checks it follows the trainer's contract.
 * Throws `DetectorModelError` (saying how to fix it) for a file onnxruntime cannot load
 * or one with other inputs/outputs; a missing file throws the `ENOENT` error of `fs`.
 * Prefer `getDetector`, which keeps one warm session per model file.
 */
export async function loadDetector(modelPath: string, opts: DetectorOptions = {}): Promise<Detector> {
  const file = path.resolve(modelPath);
  const threads = opts.threads ?? DEFAULT_DETECTOR_THREADS;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  const { mtimeMs } = await stat(file);
  const bytes = await readFile(file);
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new DetectorModelError(file, `cannot be loaded by onnxruntime (${(err as Error).message})`);
  }
  try {
    checkContract(session, file);
  } catch (err) {
    await session.release();
    throw err;
  }
  return new OnnxDetector(file, mtimeMs, session);
}

class OnnxDetector implements Detector {
  /** Tail of the queue of calls; each call waits for the previous one. */
  private tail: Promise<unknown> = Promise.resolve();
  private isClosed = false;
  /** The input tensor's storage, reused while the input size stays the same. */
  private input: Float32Array | undefined;

  constructor(
    readonly modelPath: string,
    readonly modelMtimeMs: number,
    private readonly session: InferenceSession,
  ) {}

  detect(image: RawImage, opts: DetectOptions = {}): Promise<Detection[]> {
    if (this.isClosed) {
      return Promise.reject(new Error(`detector for ${this.modelPath} is closed (its model was replaced or the worker is stopping); call getDetector again`));
    }
    return this.enqueue(() => this.run(image, opts));
  }

  close(): Promise<void> {
    if (this.isClosed) return this.tail.then(() => undefined);
    this.isClosed = true;
    return this.enqueue(() => this.session.release());
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(image: RawImage, opts: DetectOptions): Promise<Detection[]> {
    const plan = detectPlan(image, opts);
    const { size } = plan;
    const length = 3 * size.width * size.height;
    // Safe to reuse: calls are serialised, and `run` has returned before the next fill.
    if (this.input?.length !== length) this.input = new Float32Array(length);
    fillChw(image, size, this.input);
    const out = await this.session.run({ images: new Tensor('float32', this.input, [3, size.height, size.width]) });
    const boxes = out.boxes?.data;
    const labels = out.labels?.data;
    const scores = out.scores?.data;
    if (!(boxes instanceof Float32Array && scores instanceof Float32Array && labels instanceof BigInt64Array)) {
      throw new DetectorModelError(this.modelPath, 'returned outputs of the wrong types (need boxes float32, labels int64, scores float32)');
    }
    return pickDetections(this.modelPath, { boxes, labels, scores }, plan);
  }
}

/**
 * The model's raw outputs as the product's detections: the score threshold, then
 * class-agnostic NMS, boxes scaled from the model's input `size` to `source` and clamped.
 * Shared by the in-thread and the worker-thread detector.
 */
export function pickDetections(
  modelPath: string,
  out: { boxes: Float32Array; labels: BigInt64Array; scores: Float32Array },
  o: ReturnType<typeof detectPlan>,
): Detection[] {
  const { boxes, labels, scores } = out;
  const n = scores.length;
  if (boxes.length !== 4 * n || labels.length !== n) {
    throw new DetectorModelError(modelPath, `returned ${boxes.length / 4} boxes, ${labels.length} labels and ${n} scores; they must agree`);
  }
  // Candidates under the threshold still vote on the kept boxes' edges.
  const floor = o.voteIou === undefined ? o.scoreThreshold : Math.min(o.scoreThreshold, SELECT_DEFAULTS.voteMinScore);
  const raw: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const score = scores[i]!;
    if (!(score >= floor)) continue;
    const b = 4 * i;
    raw.push({ classId: Number(labels[i]!), score, box: { x1: boxes[b]!, y1: boxes[b + 1]!, x2: boxes[b + 2]!, y2: boxes[b + 3]! } });
  }
  return selectDetections(raw, {
    scoreThreshold: o.scoreThreshold,
    nmsIou: o.nmsIou,
    scaleX: o.source.width / o.size.width,
    scaleY: o.source.height / o.size.height,
    width: o.source.width,
    height: o.source.height,
    ...(o.voteIou === undefined ? {} : { voteIou: o.voteIou }),
    ...(o.containedShare === undefined ? {} : { containedShare: o.containedShare }),
  });
}

/** A detect call's settings with their defaults, and the model input's size for `image`. */
export function detectPlan(image: RawImage, opts: DetectOptions) {
  const source = opts.sourceSize ?? image;
  if (!(source.width > 0 && source.height > 0)) {
    throw new RangeError(`sourceSize must be positive, got ${source.width}×${source.height}`);
  }
  return {
    scoreThreshold: opts.scoreThreshold ?? DETECT_DEFAULTS.scoreThreshold,
    nmsIou: opts.nmsIou ?? DETECT_DEFAULTS.nmsIou,
    voteIou: opts.voteIou === false ? undefined : (opts.voteIou ?? SELECT_DEFAULTS.voteIou),
    containedShare: opts.containedShare === false ? undefined : (opts.containedShare ?? SELECT_DEFAULTS.containedShare),
    source,
    size: fitInside(image.width, image.height, opts.maxSide ?? DETECT_DEFAULTS.maxSide),
  };
}
