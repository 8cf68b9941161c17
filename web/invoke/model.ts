import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Detection, ExamConfig } from '../../core/index.js';
import { runModelPath, type Run, type Store } from '../../store/index.js';
import { getDetector, type Detector, type RawImage } from '../../vision/index.js';
import type { DetectionOut } from './schemas.js';

/**
 * The station's deployed model and inference on it. The deployed model is the run
 * with the latest `deployedAt` (store.runs.deployed); its file is
 * `stations/<st>/models/<run>.onnx`. Sessions come from vision's `getDetector`, which
 * keeps one per file and reloads a file replaced on disk.
 *
 * Redeploys never fail a request in flight: a request resolves the run once and keeps
 * that run's detector to the end (a redeploy to another run loads another file; the
 * old session stays cached). When the same file is replaced, `getDetector` retires the
 * old session a few seconds later; a request that reaches `detect` after that gets
 * the new session (one retry, below).
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

/** The model file is missing or not a valid detector: the service cannot answer (503). */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
}

async function detector(file: string, threads: number): Promise<Detector> {
  try {
    await stat(file);
    return await getDetector(file, { threads });
  } catch (err) {
    throw new ModelUnavailableError(`model ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export interface InferenceResult {
  detections: Detection[];
  /** Milliseconds in the detector, waiting for earlier calls included. */
  inferenceMs: number;
}

/**
 * Runs the model at `file` on `image` (the upright image, possibly downscaled), boxes
 * in pixels of `sourceSize`. If the session was retired between fetching and running
 * (its file was replaced), runs once more on the session now cached for the file.
 */
export async function runInference(
  file: string,
  image: RawImage,
  opts: { sourceSize: { width: number; height: number }; scoreThreshold: number; threads: number },
): Promise<InferenceResult> {
  const t0 = performance.now();
  const first = await detector(file, opts.threads);
  const detectOpts = { sourceSize: opts.sourceSize, scoreThreshold: opts.scoreThreshold };
  try {
    const detections = await first.detect(image, detectOpts);
    return { detections, inferenceMs: performance.now() - t0 };
  } catch (err) {
    const again = await detector(file, opts.threads);
    if (again === first) throw err;
    const detections = await again.detect(image, detectOpts);
    return { detections, inferenceMs: performance.now() - t0 };
  }
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
