/**
 * The ONNX detector: loads a model that follows the trainer's contract and proposes
 * boxes for a decoded photo. `getDetector` keeps one warm session per model file and
 * picks up a replaced file by itself. The bench helper lives in `detector.bench.ts`.
 */
export { checkContract, DetectorModelError, INPUT_NAMES, OUTPUT_NAMES } from './contract.js';
export { DEFAULT_DETECTOR_THREADS, DETECT_DEFAULTS, loadDetector } from './detector.js';
export { loadThreadDetector } from './thread-detector.js';
export type { DetectOptions, Detector, DetectorOptions } from './detector.js';
export { closeDetectors, getDetector } from './cache.js';
export { fillChw, fitInside } from './preprocess.js';
export { decodeForDetector, type DetectorInputOk, type DetectorInputResult } from './decode.js';
export type { InputSize } from './preprocess.js';
