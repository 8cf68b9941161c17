/**
 * The invocation service of the web process (issue 13): the detect API on the
 * station's deployed model, its OpenAPI document, and the visual page. The web process
 * mounts `invokeRoutes`; the bot issues keys with `store.apiKeys.issue` and links to
 * `/invoke/<station>#key=<key>`.
 */
export { invokeRoutes, prepareInvokeProcess, apiKeyOf, parseDetectQuery, DEFAULT_INVOKE_LIMITS, type InvokeLimits } from './routes.js';
export { INVOKE_ERRORS, INVOKE_ERROR_CODES, errorBody, type InvokeErrorCode } from './copy.js';
export { openApiDocument } from './openapi.js';
export { deployedModel, type DeployedModel } from './model.js';
export { ModelCache, ModelUnavailableError, type ModelCacheOptions } from './model-cache.js';
export { invokePageUrl } from './links.js';
export type { DetectResponse, ModelResponse } from './schemas.js';
