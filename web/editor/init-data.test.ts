import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateInitData } from './init-data.js';

const botToken = '1234567:TEST-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const now = Date.UTC(2025, 4, 1, 9, 0, 0);
const nowS = now / 1000;

/** Signs fields the way Telegram does, written out here independently of the code under test. */
function sign(fields: Record<string, string>, token = botToken): string {
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('\n');
  const key = createHmac('sha256', 'WebAppData').update(token).digest();
  const hash = createHmac('sha256', key).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

const user = JSON.stringify({ id: 777000111, first_name: '张三', language_code: 'zh-hans', allows_write_to_pm: true });
const base = { query_id: 'AAH-test', user, auth_date: String(nowS - 60), start_param: 'p42', signature: 'sig-ed25519' };

describe('Mini App initData', () => {
  it('accepts data signed with the bot token and extracts the user', () => {
    expect(validateInitData(sign(base), { botToken, now })).toEqual({
      ok: true,
      value: { userId: 777000111, languageCode: 'zh-hans', authDate: nowS - 60, startParam: 'p42' },
    });
  });

  it('refuses tampered data (another user id) and data signed for another bot', () => {
    const forged = sign(base).replace(encodeURIComponent('"id":777000111'), encodeURIComponent('"id":777000112'));
    expect(forged).not.toBe(sign(base));
    expect(validateInitData(forged, { botToken, now })).toEqual({ ok: false, reason: 'bad-hash' });
    expect(validateInitData(sign(base, '9876543:OTHER-bbbbbbbbbbbbbbbbbbbbbbbbbbbb'), { botToken, now })).toEqual({
      ok: false,
      reason: 'bad-hash',
    });
    const added = `${sign(base)}&chat_type=private`;
    expect(validateInitData(added, { botToken, now })).toEqual({ ok: false, reason: 'bad-hash' });
  });

  it('refuses stale data (older than 1 h by default, or the given limit) and data from the future', () => {
    const old = sign({ ...base, auth_date: String(nowS - 3601) });
    expect(validateInitData(old, { botToken, now })).toEqual({ ok: false, reason: 'stale' });
    expect(validateInitData(old, { botToken, now, maxAgeS: 7200 }).ok).toBe(true);
    expect(validateInitData(sign({ ...base, auth_date: String(nowS - 3600) }), { botToken, now }).ok).toBe(true);
    expect(validateInitData(sign({ ...base, auth_date: String(nowS + 3600) }), { botToken, now })).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses data without a hash, with a junk hash, or with a repeated key', () => {
    const noHash = new URLSearchParams(base).toString();
    expect(validateInitData(noHash, { botToken, now })).toEqual({ ok: false, reason: 'missing-hash' });
    expect(validateInitData(`${noHash}&hash=`, { botToken, now })).toEqual({ ok: false, reason: 'missing-hash' });
    expect(validateInitData(`${noHash}&hash=zz`, { botToken, now })).toEqual({ ok: false, reason: 'bad-hash' });
    expect(validateInitData(`${sign(base)}&user=x`, { botToken, now })).toEqual({ ok: false, reason: 'malformed' });
    expect(validateInitData('', { botToken, now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses well-signed data without a usable user', () => {
    const { user: _user, ...noUser } = base;
    expect(validateInitData(sign(noUser), { botToken, now })).toEqual({ ok: false, reason: 'no-user' });
    expect(validateInitData(sign({ ...base, user: '{"id":"7"}' }), { botToken, now })).toEqual({ ok: false, reason: 'no-user' });
  });
});
