import { badRequest } from './api-error.js';
import type { Message } from './types.js';

/** Start tags Telegram's `parse_mode: 'HTML'` accepts. */
const SUPPORTED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** A text token or a tag of Telegram HTML, in order. */
type Token = { kind: 'text'; text: string } | { kind: 'open' | 'close'; name: string };

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

function cantParse(detail: string): Error {
  return badRequest(`can't parse entities: ${detail}`);
}

function decodeEntity(text: string, at: number): { value: string; end: number } | undefined {
  const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/.exec(text.slice(at, at + 12));
  if (!m?.[1]) return undefined;
  const body = m[1];
  let value: string | undefined;
  if (body.startsWith('#x')) value = safeCodePoint(parseInt(body.slice(2), 16));
  else if (body.startsWith('#')) value = safeCodePoint(parseInt(body.slice(1), 10));
  else value = NAMED_ENTITIES[body];
  return value === undefined ? undefined : { value, end: at + m[0].length };
}

function safeCodePoint(n: number): string | undefined {
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

/**
 * Splits Telegram HTML into text and tags, rejecting what Telegram rejects, with
 * Telegram's (tdlib's) wording and UTF-8 byte offsets. Unknown `&name;` entities stay
 * literal text, as on Telegram.
 *
 * @throws ApiError 400 `Bad Request: can't parse entities: ...`
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const stack: string[] = [];
  let buf = '';
  let i = 0;
  const flush = (): void => {
    if (buf) tokens.push({ kind: 'text', text: buf });
    buf = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '&') {
      const e = decodeEntity(text, i);
      buf += e ? e.value : '&';
      i = e ? e.end : i + 1;
      continue;
    }
    if (ch !== '<') {
      buf += ch;
      i += 1;
      continue;
    }
    const begin = i;
    const isEnd = text[i + 1] === '/';
    let j = isEnd ? i + 2 : i + 1;
    const nameStart = j;
    while (j < text.length && /[a-zA-Z0-9-]/.test(text[j] ?? '')) j += 1;
    const name = text.slice(nameStart, j).toLowerCase();
    if (isEnd) {
      if (stack.length === 0) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(text, begin)}`);
      while (text[j] === ' ' || text[j] === '\n') j += 1;
      if (text[j] !== '>') throw cantParse(`Unclosed end tag at byte offset ${byteOffset(text, begin)}`);
      const open = stack.pop() ?? '';
      if (name !== open) {
        throw cantParse(
          `Unmatched end tag at byte offset ${byteOffset(text, begin)}, expected "</${open}>", found "</${name}>"`,
        );
      }
      flush();
      tokens.push({ kind: 'close', name });
      i = j + 1;
      continue;
    }
    if (!SUPPORTED_TAGS.has(name)) {
      throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(text, begin)}`);
    }
    let quote: string | undefined;
    while (j < text.length && (quote !== undefined || text[j] !== '>')) {
      const c = text[j];
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      j += 1;
    }
    if (j >= text.length) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);
    flush();
    stack.push(name);
    tokens.push({ kind: 'open', name });
    i = j + 1;
  }
  const open = stack.pop();
  if (open !== undefined) throw cantParse(`Can't find end tag corresponding to start tag "${open}"`);
  flush();
  return tokens;
}

/**
 * Checks that `text` is valid Telegram HTML, so a bot that forgets to escape `<` in
 * user input fails here as it would on Telegram.
 *
 * @throws ApiError 400 `Bad Request: can't parse entities: ...`
 */
export function validateTelegramHtml(text: string): void {
  tokenize(text);
}

/**
 * The text a Telegram user would read: tags removed and entities decoded for HTML,
 * escapes removed for MarkdownV2, unchanged otherwise. Invalid HTML is returned as is.
 */
export function plainText(text: string, parseMode?: string): string {
  const mode = parseMode?.toLowerCase();
  if (mode === 'html') {
    try {
      return tokenize(text)
        .map((t) => (t.kind === 'text' ? t.text : ''))
        .join('');
    } catch {
      return text;
    }
  }
  if (mode === 'markdownv2') return text.replace(/\\([\\_*[\]()~`>#+\-=|{}.!])/g, '$1');
  return text;
}

/** The plain text or caption of a stored message (empty string when it has neither). */
export function messagePlainText(message: Pick<Message, 'text' | 'caption' | 'parse_mode'>): string {
  return plainText(message.text ?? message.caption ?? '', message.parse_mode);
}
