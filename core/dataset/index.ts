export * from './types.js';
export { exportDataset } from './export.js';
export { toVocBox } from './export-voc.js';
export { importDataset, IMPORT_PREFERENCE, type DatasetImportResult } from './import.js';
export type { DetectedDataset } from './detect.js';
export { mapClasses, applyClassMapping, normaliseClassName, type ClassMapping, type UnmatchedClass } from './class-map.js';
export { isImagePath } from './paths.js';
export { looseFileKind, safeLooseName, looseLayoutPath, looseCounts, LOOSE_LIMITS, type LooseFileKind } from './loose.js';
