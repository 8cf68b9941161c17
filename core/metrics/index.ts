/**
 * Box geometry, detection metrics (COCO AP/mAP, precision/recall, confusion,
 * PR curves) and box-level labeling acceptance. Pure: no I/O.
 */
export * from './geometry.js';
export * from './matching.js';
export * from './ap.js';
export * from './confusion.js';
export * from './detection.js';
export * from './acceptance.js';
