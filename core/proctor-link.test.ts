import { describe, expect, it } from 'vitest';
import { signEditorLink } from './link-token.js';
import { codeMatches, signProctorLink, verifyProctorLink } from './proctor-link.js';

const secret = 'unit-test-secret-0123456789';

describe('proctor links', () => {
  it('round-trips, and refuses expired, forged, re-signed and editor tokens', () => {
    const now = 1_000_000;
    const t = signProctorLink({ secret, userId: 42, expiresAt: now + 1000 });
    expect(verifyProctorLink(t, { secret, now })).toEqual({ ok: true, userId: 42 });
    expect(verifyProctorLink(t, { secret, now: now + 1000 })).toEqual({ ok: false, reason: 'expired' });
    expect(verifyProctorLink(t, { secret: 'another-secret-0123456789', now })).toEqual({ ok: false, reason: 'forged' });
    const [payload, sig] = t.split('.');
    const other = Buffer.from('v1|43|9999999999999').toString('base64url');
    expect(verifyProctorLink(`${other}.${sig ?? ''}`, { secret, now })).toEqual({ ok: false, reason: 'forged' });
    expect(verifyProctorLink(`${payload ?? ''}`, { secret, now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyProctorLink('x'.repeat(300), { secret, now })).toEqual({ ok: false, reason: 'malformed' });
    // An editor link (another domain under the same secret) never passes as a proctor's.
    const editor = signEditorLink({ secret, stationNo: 'A01', photoId: 1, userId: 42, expiresAt: now + 1000 });
    expect(verifyProctorLink(editor, { secret, now }).ok).toBe(false);
  });

  it('matches the code exactly, and never without one configured', () => {
    expect(codeMatches('hall-42', 'hall-42')).toBe(true);
    expect(codeMatches('hall-4', 'hall-42')).toBe(false);
    expect(codeMatches('hall-42 ', 'hall-42')).toBe(false);
    expect(codeMatches(undefined, 'hall-42')).toBe(false);
    expect(codeMatches('', undefined)).toBe(false);
  });
});
