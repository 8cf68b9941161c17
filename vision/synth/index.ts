/**
 * Synthetic rig generator: deterministic photos of meters on an exam rig with exact
 * boxes, for tests, benchmarks, training the base detector and the offline demo.
 */
export { parseSynthClasses, synthClassesSchema } from './classes.js';
export { allCombos, planCombos } from './combos.js';
export { generateDataset, imageName } from './dataset.js';
export type { DatasetOptions, Manifest, ManifestImage } from './dataset.js';
export { DEFAULT_QUOTAS, generatePlanDataset, planFolders } from './plan-dataset.js';
export type { PlanFolder } from './plan-dataset.js';
export { renderRigPhoto } from './render.js';
export type { RenderOptions } from './render.js';
export { DEFAULT_CLASSES, SYNTH_KINDS } from './types.js';
export type { SynthBox, SynthClass, SynthKind, SynthPhoto } from './types.js';
export { parseYoloLabel, toYoloLabel, toYoloLine } from './yolo.js';
