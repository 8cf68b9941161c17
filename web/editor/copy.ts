import type { Lang } from '../../core/index.js';

/**
 * The editor's server-side text: refusals and save errors, by code, in both languages.
 * API errors carry both (`{ error, message: { zh, en } }`) so a client shows the user's.
 */

export type Bilingual = Readonly<Record<Lang, string>>;

/** Why a request may not see or edit a photo (answered with 403, or 404/409 where noted). */
export const DENIAL_TEXT = {
  'no-credentials': { zh: '请从聊天中的“编辑”按钮打开本页。', en: 'Open this page from the Edit button in the chat.' },
  disabled: { zh: '编辑链接未启用（服务器未设置 LINK_SECRET）。', en: 'Editor links are off (LINK_SECRET is not set on the server).' },
  'tg-disabled': { zh: '服务器未连接 Telegram，请使用聊天中的编辑链接。', en: 'The server is not connected to Telegram; use the edit link from the chat.' },
  malformed: { zh: '链接无效，请在聊天中重新打开编辑器。', en: 'This link is invalid. Open the editor again from the chat.' },
  forged: { zh: '链接无效，请在聊天中重新打开编辑器。', en: 'This link is invalid. Open the editor again from the chat.' },
  expired: { zh: '链接已过期，请在聊天中重新打开编辑器。', en: 'This link has expired. Open the editor again from the chat.' },
  'other-photo': { zh: '此链接不属于这张照片。', en: 'This link is for a different photo.' },
  'missing-hash': { zh: 'Telegram 登录信息无效，请重新打开。', en: 'Telegram sign-in data is invalid. Open the editor again.' },
  'bad-hash': { zh: 'Telegram 登录信息无效，请重新打开。', en: 'Telegram sign-in data is invalid. Open the editor again.' },
  'no-user': { zh: 'Telegram 登录信息无效，请重新打开。', en: 'Telegram sign-in data is invalid. Open the editor again.' },
  stale: { zh: 'Telegram 登录信息已过期，请关闭后重新打开。', en: 'Telegram sign-in has expired. Close and reopen the editor.' },
  'not-bound': { zh: '你无权编辑这个工位的照片。', en: 'You may not edit photos of this station.' },
  'no-photo': { zh: '找不到这张照片。', en: 'This photo does not exist.' },
} as const satisfies Record<string, Bilingual>;

export type DenialCode = keyof typeof DENIAL_TEXT;

/** Errors of the API other than access (400, 404, 409, 413). `{n}` is a 1-based box number. */
export const API_ERROR_TEXT = {
  'bad-json': { zh: '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  'too-large': { zh: '请求内容过大（最多 64 KB）。', en: 'The request is too large (64 KB at most).' },
  'bad-body': { zh: '请求格式错误：需要 { boxes: [...] }。', en: 'Malformed request: expected { boxes: [...] }.' },
  'no-boxes': { zh: '请至少画一个框再保存。', en: 'Draw at least one box before saving.' },
  'too-many-boxes': { zh: '框太多了（最多 50 个）。', en: 'Too many boxes (50 at most).' },
  'bad-box': { zh: '第 {n} 个框的坐标无效。', en: 'Box {n} has invalid coordinates.' },
  'bad-class': { zh: '第 {n} 个框的类别不在本次考试的类别中。', en: 'Box {n} has a class that is not in this exam.' },
  'bad-order': { zh: '第 {n} 个框的右下角必须在左上角的右下方。', en: 'Box {n}: the bottom-right corner must lie below and right of the top-left.' },
  'outside-image': { zh: '第 {n} 个框在图片之外。', en: 'Box {n} lies outside the image.' },
  'not-accepted': { zh: '这张照片已被剔除或尚未处理完，不能编辑。', en: 'This photo was rejected or is still being processed; it cannot be edited.' },
  'no-image': { zh: '这张照片的图片文件不可用。', en: 'The image file of this photo is not available.' },
} as const satisfies Record<string, Bilingual>;

export type ApiErrorCode = keyof typeof API_ERROR_TEXT;

/** Both languages of an API error, with `{n}` filled. */
export function apiErrorText(code: ApiErrorCode, n?: number): Bilingual {
  const t: Bilingual = API_ERROR_TEXT[code];
  const fill = (s: string): string => (n === undefined ? s : s.replace('{n}', String(n)));
  return { zh: fill(t.zh), en: fill(t.en) };
}
