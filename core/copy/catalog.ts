import { fillTemplate, type Lang, type TextParams } from '../i18n.js';
import { en } from './en.js';
import { zh, type CopyKey } from './zh.js';

/**
 * The one copy catalogue: every text a user reads (chat, worker messages, the proposal
 * message, the box editor's API errors), in Chinese and English, by typed key. Keys are
 * namespaced by the part that uses them (`ingest.*`, `editor.*`, `proposal.*`, …).
 */

export type { CopyKey } from './zh.js';

const CATALOGS: Record<Lang, Record<CopyKey, string>> = { zh, en };

/** Every key of the catalogue, in the order of `zh.ts`. */
export const COPY_KEYS = Object.keys(zh) as readonly CopyKey[];

/** Whether a string built at run time (`err.${code}`) names a text of the catalogue. */
export function isCopyKey(key: string): key is CopyKey {
  return Object.hasOwn(zh, key);
}

/** The text for `key` in `lang`, with `{name}` placeholders filled (HTML-escaped unless `raw()`). */
export function t(lang: Lang, key: CopyKey, params: TextParams = {}): string {
  return fillTemplate(CATALOGS[lang][key], params);
}

/** Both languages of one text, for clients that pick the language themselves (the editor API). */
export type Bilingual = Readonly<Record<Lang, string>>;

export function bilingual(key: CopyKey, params: TextParams = {}): Bilingual {
  return { zh: t('zh', key, params), en: t('en', key, params) };
}

/** The suffixes of the keys under `prefix`: `KeySuffix<'editor.denied.'>` is the union of denial codes. */
export type KeySuffix<P extends string> = CopyKey extends infer K ? (K extends `${P}${infer S}` ? S : never) : never;

/**
 * The text of a `UserInputError` (or a refused check) whose `code` names `err.<code>` in the
 * catalogue; `undefined` for a code with no text (a bug: the caller falls back to the apology).
 */
export function userErrorText(lang: Lang, code: string, params: TextParams = {}): string | undefined {
  const key = `err.${code}`;
  return isCopyKey(key) ? t(lang, key, params) : undefined;
}
