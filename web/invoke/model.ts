import type { Detection, ExamConfig } from '../../core/index.js';
import { existsSync } from 'node:fs';
import { blobKey, runModelPath, type BlobStore, type Run, type Store } from '../../store/index.js';
import type { RawImage } from '../../vision/index.js';
import type { ModelCache } from './model-cache.js';
import type { DetectionOut } from './schemas.js';

/**
 * The station's deployed model and inference on it. The deployed model is the run
 * with the latest `deployedAt` (store.runs.deployed); its file is
 * `stations/<st>/models/<run>.onnx`.
 *
 * Redeploys never fail a request in flight: a request resolves the run once, before
 * reading the upload, and answers with that run's model; `ModelCache` keeps a session
 * until the last request using it ends.
 */

export interface DeployedModel {
  run: Run;
  /** Absolute path of the run's ONNX file. */
  file: string;
}

/** The station's deployed run and its model file (which may be missing: see `detect`). */
export function deployedModel(store: Store, stationNo: string): DeployedModel | undefined {
  const run = store.runs.deployed(stationNo);
  return run && { run, file: runModelPath(store.dataDir, stationNo, run.id) };
}

/**
 * Makes sure the deployed model's file is on this host: when it is missing and an object
 * store is configured (the model was trained on another host), it is fetched from there
 * (atomically, so concurrent requests never read half a file). False when it is nowhere.
 */
export async function ensureModelFile(store: Store, blobs: BlobStore | undefined, deployed: DeployedModel): Promise<boolean> {
  if (existsSync(deployed.file)) return true;
  if (!blobs) return false;
  return blobs.getToFile(blobKey(store.dataDir, deployed.file), deployed.file);
}

export interface InferenceResult {
  detections: Detection[];
  /** Milliseconds in the detector, waiting for earlier calls included. */
  inferenceMs: number;
}

/**
 * Runs the model at `file` on `image` (the upright image, possibly downscaled), boxes in
 * pixels of `sourceSize`, holding the session in `models` for the whole call.
 */
export function runInference(
  models: ModelCache,
  file: string,
  image: RawImage,
  opts: { sourceSize: { width: number; height: number }; scoreThreshold: number },
): Promise<InferenceResult> {
  const t0 = performance.now();
  return models.use(file, async (detector) => {
    const detections = await detector.detect(image, { sourceSize: opts.sourceSize, scoreThreshold: opts.scoreThreshold });
    return { detections, inferenceMs: performance.now() - t0 };
  });
}

/** Detections as the API answers them: class names attached, at most `max`, 0.1 px rounding. */
export function toApiDetections(detections: readonly Detection[], exam: ExamConfig, max: number): DetectionOut[] {
  const byId = new Map(exam.classes.map((c) => [c.id, c]));
  const r = (v: number): number => Math.round(v * 10) / 10;
  return detections.slice(0, max).map((d) => {
    const cls = byId.get(d.classId);
    const fallback = `class_${d.classId}`;
    return {
      box: { x1: r(d.box.x1), y1: r(d.box.y1), x2: r(d.box.x2), y2: r(d.box.y2) },
      classId: d.classId,
      key: cls?.key ?? fallback,
      zh: cls?.zh ?? fallback,
      en: cls?.en ?? fallback,
      score: Math.round(d.score * 10_000) / 10_000,
    };
  });
}
