/**
 * The pre-acceptance check (`/check`): what a judge would fail, as pure findings from
 * the station's data and the image evidence vision measured. No I/O.
 */
export * from './evidence.js';
export * from './types.js';
export * from './thresholds.js';
export * from './fit.js';
export * from './check.js';
export * from './describe.js';
