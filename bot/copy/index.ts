import { fillTemplate, type Lang, type TextParams } from '../../core/index.js';
import { en } from './en.js';
import { zh, type CopyKey } from './zh.js';

export type { CopyKey } from './zh.js';
export { escapeHtml, langFromTelegram, raw, Raw, type Lang } from '../../core/index.js';

const catalogs: Record<Lang, Record<CopyKey, string>> = { zh, en };

/** The text for `key` in `lang`, with `{name}` placeholders filled (HTML-escaped unless `raw()`). */
export function t(lang: Lang, key: CopyKey, params: TextParams = {}): string {
  return fillTemplate(catalogs[lang][key], params);
}
