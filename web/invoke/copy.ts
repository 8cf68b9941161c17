/**
 * The invocation API's errors: one registry of code → HTTP status and text in both
 * languages. Every 4xx answers `{ error: code, message: { zh, en } }` (the OpenAPI
 * document lists the codes), so a client branches on `error` and shows the user's
 * language.
 */

export interface ApiErrorSpec {
  readonly status: number;
  readonly zh: string;
  readonly en: string;
}

/** `{max}` is replaced by the limit in force (MiB or megapixels). */
export const INVOKE_ERRORS = {
  'missing-key': {
    status: 401,
    zh: '缺少 API 密钥：请用 Authorization: Bearer <密钥> 或 X-API-Key 请求头发送。',
    en: 'API key missing: send it as Authorization: Bearer <key> or in the X-API-Key header.',
  },
  'bad-key': {
    status: 401,
    zh: 'API 密钥不正确（可能已重新生成），请在聊天中用 /deploy 获取当前密钥。',
    en: 'The API key is wrong (it may have been re-issued); get the current one with /deploy in the chat.',
  },
  'bad-init-data': {
    status: 401,
    zh: 'Telegram 小程序的登录数据无效或已过期（超过 1 小时），请在聊天中重新打开页面。',
    en: 'The Telegram Mini App sign-in data is invalid or expired (over an hour old); open the page from the chat again.',
  },
  'not-your-station': {
    status: 403,
    zh: '这个 Telegram 账号没有绑定该工位，只能调用自己工位的模型。',
    en: 'This Telegram account is not bound to this station; you can only call your own station\'s model.',
  },
  'unknown-station': { status: 404, zh: '没有这个工位号。', en: 'There is no such station.' },
  'no-deployed-model': {
    status: 409,
    zh: '本工位还没有部署模型：训练完成后在聊天中发送 /deploy。',
    en: 'This station has no deployed model yet: finish a training run, then send /deploy in the chat.',
  },
  'bad-query': {
    status: 400,
    zh: '查询参数无效：threshold 取 0 到 1，max 取 1 到 300 的整数。',
    en: 'Invalid query: threshold must be 0..1 and max an integer 1..300.',
  },
  'unsupported-media-type': {
    status: 415,
    zh: '请以 multipart/form-data 上传图片，或直接发送 image/jpeg、image/png、image/webp 内容。',
    en: 'Send the image as multipart/form-data, or as a raw image/jpeg, image/png or image/webp body.',
  },
  'no-image': { status: 400, zh: '请求中没有图片文件。', en: 'The request carries no image file.' },
  'bad-image': {
    status: 400,
    zh: '无法读取这张图片：只接受完整的 JPEG、PNG 或 WebP 静态图片。',
    en: 'This image cannot be read: only complete, still JPEG, PNG or WebP images are accepted.',
  },
  'body-too-large': { status: 413, zh: '请求内容过大（最多 {max} MB）。', en: 'The request is too large ({max} MB at most).' },
  'too-many-pixels': {
    status: 422,
    zh: '图片像素过多（最多 {max} 百万像素），请缩小后再试。',
    en: 'The image has too many pixels ({max} megapixels at most); shrink it and try again.',
  },
  'method-not-allowed': {
    status: 405,
    zh: '不支持这个请求方法：识别用 POST，模型信息用 GET。',
    en: 'Method not allowed: detect takes POST, the model info GET.',
  },
  'model-unavailable': {
    status: 503,
    zh: '已部署的模型文件无法加载，请重新训练或重新部署。',
    en: 'The deployed model file cannot be loaded; retrain or deploy again.',
  },
} as const satisfies Record<string, ApiErrorSpec>;

export type InvokeErrorCode = keyof typeof INVOKE_ERRORS;

/** Every code, for the OpenAPI document's enum. */
export const INVOKE_ERROR_CODES = Object.keys(INVOKE_ERRORS) as InvokeErrorCode[];

/** The JSON body of an error answer. */
export function errorBody(code: InvokeErrorCode, max?: number): { error: InvokeErrorCode; message: { zh: string; en: string } } {
  const spec: ApiErrorSpec = INVOKE_ERRORS[code];
  const fill = (s: string): string => (max === undefined ? s : s.replace('{max}', String(max)));
  return { error: code, message: { zh: fill(spec.zh), en: fill(spec.en) } };
}
