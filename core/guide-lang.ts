import type { Lang } from './i18n.js';

/**
 * The language a message is written in, so the guide answers in it (issue 15): Chinese when
 * it holds Chinese characters, English when it holds Latin letters and no Chinese, else
 * (digits, emoji) the user's chosen language.
 */
export function writtenLang(text: string, fallback: Lang): Lang {
  if (/[\u3400-\u9fff\uf900-\ufaff]/u.test(text)) return 'zh';
  if (/[A-Za-z]{2,}/.test(text)) return 'en';
  return fallback;
}
