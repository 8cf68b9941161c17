export * from './catalog.js';
export * from './reasons.js';
