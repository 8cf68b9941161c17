export { writeZip, type ZipWriteEntry } from './zip-write.js';
export { extractZip, DEFAULT_ZIP_LIMITS, type ZipLimits, type ZipReadResult, type ZipRefusal } from './zip-read.js';
export { dirSource } from './dir-source.js';
export { judgeEntryName } from './zip-names.js';
export { writeDatasetZip } from './dataset-zip.js';
