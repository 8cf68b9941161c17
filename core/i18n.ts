/** The two languages of the product; Chinese is the default. */
export type Lang = 'zh' | 'en';

/** Escapes text for Telegram's HTML parse mode. Every user-supplied value goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Marks a parameter as already-safe HTML. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string): Raw => new Raw(html);

export type TextParams = Record<string, string | number | Raw>;

/** Fills `{name}` placeholders, HTML-escaping every value not wrapped in `raw()`. */
export function fillTemplate(template: string, params: TextParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    if (v instanceof Raw) return v.html;
    return escapeHtml(String(v));
  });
}

/** The user's language from Telegram's language_code: Chinese unless it says English. */
export function langFromTelegram(code: string | undefined): Lang {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}
