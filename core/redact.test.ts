import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from './redact.js';
import { createLogger } from './logger.js';

const TOKEN = '1234567:AAHfakeTokenForTestsOnly0123456789ab';
const ID = '11010519491231002X';

describe('redaction', () => {
  it('removes bot tokens, keys and ID numbers from text', () => {
    const out = redactText(`GET https://api.telegram.org/bot${TOKEN}/getMe for ${ID} key sk-abcdefghijkl`);
    expect(out).not.toContain(TOKEN.split(':')[1]);
    expect(out).not.toContain(ID);
    expect(out).toContain('1101**********002X');
    expect(out).not.toContain('sk-abcdefghijkl');
  });

  it('blanks sensitive keys and extra secrets deep in objects', () => {
    const out = JSON.stringify(redactValue({ a: { idNumber: 'x', note: 'pw=hunter22' }, token: 't' }, ['hunter22']));
    expect(out).not.toContain('hunter22');
    expect(out).not.toContain('"x"');
  });

  it('keeps secrets out of the logger output, in messages, objects and errors', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger({ name: 't', secrets: ['local-secret-value'], destination: sink });
    log.info({ url: `https://x/bot${TOKEN}/sendMessage`, idNumber: ID }, `user ${ID} said local-secret-value`);
    log.error({ err: new Error(`failed for bot${TOKEN}`) }, 'boom');
    const all = lines.join('\n');
    expect(lines).toHaveLength(2);
    expect(all).not.toContain(TOKEN.split(':')[1]);
    expect(all).not.toContain(ID);
    expect(all).not.toContain('local-secret-value');
  });
});
