import { describe, expect, it } from 'vitest';
import { editorUrl, signEditorLink, verifyEditorLink } from './link-token.js';

const secret = 'test-link-secret-0123456789';
const now = Date.UTC(2025, 4, 1, 9, 0, 0);
const claims = { stationNo: 'A07', photoId: 42, userId: 777000111, expiresAt: now + 60_000 };

describe('signed editor links', () => {
  it('verifies a good token and returns its claims', () => {
    const token = signEditorLink({ secret, ...claims });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyEditorLink(token, { secret, now })).toEqual({ ok: true, claims });
    expect(verifyEditorLink(token, { secret, now, photoId: 42 })).toEqual({ ok: true, claims });
  });

  it('refuses an expired token, from the expiry instant on', () => {
    const token = signEditorLink({ secret, ...claims });
    expect(verifyEditorLink(token, { secret, now: claims.expiresAt - 1 }).ok).toBe(true);
    expect(verifyEditorLink(token, { secret, now: claims.expiresAt })).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a tampered payload, a tampered signature and another secret', () => {
    const token = signEditorLink({ secret, ...claims });
    const [payload, sig] = token.split('.') as [string, string];
    const other = Buffer.from(`v1|A07|43|777000111|${claims.expiresAt}`).toString('base64url');
    expect(verifyEditorLink(`${other}.${sig}`, { secret, now })).toEqual({ ok: false, reason: 'forged' });
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.slice(-1);
    expect(verifyEditorLink(`${payload}.${flipped}`, { secret, now })).toEqual({ ok: false, reason: 'forged' });
    expect(verifyEditorLink(token, { secret: 'another-secret-0123456789', now })).toEqual({ ok: false, reason: 'forged' });
    expect(verifyEditorLink(`${payload}.${sig.slice(0, 20)}`, { secret, now })).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a token used for another photo', () => {
    const token = signEditorLink({ secret, ...claims });
    expect(verifyEditorLink(token, { secret, now, photoId: 43 })).toEqual({ ok: false, reason: 'other-photo' });
  });

  it('calls junk malformed and never throws on it', () => {
    for (const junk of ['', 'abc', 'a.b.c', '..', 'ä.ö', 'x'.repeat(600)]) {
      expect(verifyEditorLink(junk, { secret, now })).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses to sign with a short secret or impossible claims', () => {
    expect(() => signEditorLink({ secret: 'short', ...claims })).toThrow(/at least 16/);
    expect(() => signEditorLink({ secret, ...claims, stationNo: 'A|07' })).toThrow(/station/);
    expect(() => signEditorLink({ secret, ...claims, photoId: 1.5 })).toThrow(/photoId/);
  });

  it('builds the page URL', () => {
    expect(editorUrl('https://copilot.example/', 'ab.cd')).toBe('https://copilot.example/editor?t=ab.cd');
    expect(editorUrl('http://127.0.0.1:8080', 'x')).toBe('http://127.0.0.1:8080/editor?t=x');
  });
});
