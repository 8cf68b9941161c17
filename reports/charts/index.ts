/** Vector charts for the reports, drawn with pdfkit primitives only. */
export type { Region } from './axes.js';
export { niceTicks } from './axes.js';
export { barChart, type Bar } from './bar.js';
export { lineChart, type Series } from './line.js';
export { heatmap, mix } from './heatmap.js';
