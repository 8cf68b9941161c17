import { describe, expect, it } from 'vitest';
import { REJECT_REASONS, parseRejectReason } from '../cleaning.js';
import { raw } from '../i18n.js';
import { en } from './en.js';
import { bilingual, COPY_KEYS, isCopyKey, t, userErrorText } from './catalog.js';
import { reasonName, rejectText } from './reasons.js';
import { zh } from './zh.js';

const placeholders = (s: string): string[] => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();

describe('the copy catalogue', () => {
  it('has every key in both languages, none empty, and no extra key in English', () => {
    expect(Object.keys(en).sort()).toEqual([...COPY_KEYS].sort());
    for (const key of COPY_KEYS) {
      expect(zh[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('uses the same {placeholders} in both languages of each key', () => {
    const differing = COPY_KEYS.filter((k) => placeholders(zh[k]).join() !== placeholders(en[k]).join());
    expect(differing).toEqual([]);
  });

  it('fills placeholders, escaping values unless raw()', () => {
    expect(t('en', 'capture.switched', { label: '<b>x</b>' })).toBe('Switched to &lt;b&gt;x&lt;/b&gt;');
    expect(t('en', 'capture.switched', { label: raw('<b>x</b>') })).toBe('Switched to <b>x</b>');
    expect(bilingual('editor.error.bad-box', { n: 3 })).toEqual({ zh: '第 3 个框的坐标无效。', en: 'Box 3 has invalid coordinates.' });
  });

  it('has a name, a reason and a tip for every reject reason', () => {
    for (const r of REJECT_REASONS) {
      for (const lang of ['zh', 'en'] as const) {
        expect(reasonName(lang, r)).not.toMatch(/^reasonName\./);
        expect(rejectText(lang, r, '12', 4).tip).not.toBe('');
      }
    }
    expect(rejectText('en', 'near-duplicate', null, 7).reason).toBe('nearly identical to photo #7');
  });

  it('maps a stored reason it does not know to a safe one', () => {
    expect(parseRejectReason('blurry')).toBe('blurry');
    expect(parseRejectReason('duplicate')).toBe('corrupt');
    expect(parseRejectReason(null)).toBe('corrupt');
  });

  it('finds the text of a user error code, and says when there is none', () => {
    expect(isCopyKey('err.stale')).toBe(true);
    expect(isCopyKey('toString')).toBe(false);
    expect(userErrorText('en', 'station.invalid')).toMatch(/^A station number/);
    expect(userErrorText('en', 'no.such.code')).toBeUndefined();
  });
});
