/**
 * The box-editor page of the web process: signed links and Mini App access, the JSON
 * API and the page itself. The web process mounts `editorRoutes`; the bot builds links
 * with `signEditorLink` + `editorUrl` (or opens the Mini App with `startapp=p<photoId>`).
 */
export { editorRoutes, startingBoxes, type EditorDeps, type EditorSaved } from './routes.js';
export {
  validateInitData,
  dataCheckString,
  DEFAULT_INIT_DATA_MAX_AGE_S,
  type InitDataCheck,
  type InitDataRejection,
  type InitDataUser,
} from './init-data.js';
export { resolveAccess, INIT_DATA_HEADER, type AccessDeps, type AccessResult, type EditorAccess } from './access.js';
export { parseSaveBody, MAX_BOXES, MAX_SAVE_BODY_BYTES, type EditorBox, type SaveBodyResult, type SaveLimits } from './save-body.js';
