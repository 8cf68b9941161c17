import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { plainText, validateTelegramHtml } from './telegram-html.js';

function parseError(text: string): string {
  try {
    validateTelegramHtml(text);
  } catch (err) {
    if (err instanceof ApiError) return err.description;
    throw err;
  }
  return 'valid';
}

describe('Telegram HTML', () => {
  it('accepts the tags and entities Telegram supports', () => {
    expect(parseError('<b>bold</b> <i>it</i> <a href="https://x.y/?a=1&amp;b=2">link</a> <pre><code class="language-py">x &lt; 1</code></pre>')).toBe('valid');
    expect(parseError('<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span> &#39; &#x4E2D;')).toBe('valid');
  });

  it('rejects like Telegram, with UTF-8 byte offsets', () => {
    expect(parseError('中 <div>x</div>')).toBe('Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 4');
    expect(parseError('a < b')).toBe('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2');
    expect(parseError('<b>x')).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect(parseError('x</b>')).toBe("Bad Request: can't parse entities: Unexpected end tag at byte offset 1");
    expect(parseError('<b><i>x</b></i>')).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
    );
    expect(parseError('<a href="x')).toBe("Bad Request: can't parse entities: Unclosed start tag at byte offset 0");
  });

  it('gives the text a user reads', () => {
    expect(plainText('<b>Plan</b> &lt;3 &amp; <i>go</i>', 'HTML')).toBe('Plan <3 & go');
    expect(plainText('<b>not html</b>')).toBe('<b>not html</b>');
    expect(plainText('1\\.5 \\- ok', 'MarkdownV2')).toBe('1.5 - ok');
  });
});
