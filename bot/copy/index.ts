import { en } from './en.js';
import { zh, type CopyKey } from './zh.js';

export type { CopyKey } from './zh.js';
export type Lang = 'zh' | 'en';

const catalogs: Record<Lang, Record<CopyKey, string>> = { zh, en };

/** Escapes text for Telegram's HTML parse mode. Every user-supplied value goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The text for `key` in `lang`, with `{name}` placeholders filled from `params`
 * (HTML-escaped unless the param is wrapped in `raw()`).
 */
export function t(lang: Lang, key: CopyKey, params: Record<string, string | number | Raw> = {}): string {
  const template = catalogs[lang][key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    if (v instanceof Raw) return v.html;
    return escapeHtml(String(v));
  });
}

/** Marks a parameter as already-safe HTML. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string): Raw => new Raw(html);

/** The user's language from Telegram's language_code: Chinese unless it says English. */
export function langFromTelegram(code: string | undefined): Lang {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}
