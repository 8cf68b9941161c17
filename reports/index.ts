/**
 * The exam's two PDF reports: plain data in, PDF bytes out (no queries). The
 * `report` worker assembles the data from the store and sends the PDF to the chat.
 */
export * from './types.js';
export { renderStage1Report, STAGE1_TITLE } from './stage1.js';
export { renderStage2Report, STAGE2_TITLE } from './stage2.js';
export { stage2Conclusion } from './conclusion.js';
export { assertNoFullId, looksLikeFullId } from './guard.js';
export { assertAcceptanceConsistent } from './consistency.js';
export { cjkFonts as loadReportFonts, CJK_FONTS } from './pdf/fonts.js';
