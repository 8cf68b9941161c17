import { describe, expect, it } from 'vitest';
import { cleaningVerdict, parseMeasureDetail, restoreCheck, type CleaningContext, type PhotoQuality } from './cleaning.js';
import { parseExamConfig } from './exam-config.js';

const cfg = parseExamConfig({ title: 't', quotas: { '1': 10 }, classes: [{ id: 0, key: 'a', zh: '甲', en: 'A' }] }).cleaning;
const good: PhotoQuality = {
  width: 4000, height: 3000, sharpness: 500, meanLuma: 120, darkFraction: 0.02, brightFraction: 0.01, shadowLuma: 20, highlightLuma: 230,
  sha256: 'aa', phash: '0000000000000000',
};
const hamming = (a: string, b: string) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += ((parseInt(a[i] ?? '0', 16) ^ parseInt(b[i] ?? '0', 16)).toString(2).match(/1/g) ?? []).length;
  return d;
};
const ctx = (over: Partial<CleaningContext> = {}): CleaningContext => ({ accepted: [], comboCount: 0, comboQuota: 10, hamming, ...over });

describe('cleaningVerdict', () => {
  it('accepts a good photo, portrait or landscape', () => {
    expect(cleaningVerdict(good, ctx(), cfg)).toEqual({ kind: 'accepted' });
    expect(cleaningVerdict({ ...good, width: 3000, height: 4000 }, ctx(), cfg)).toEqual({ kind: 'accepted' });
  });

  it('names each problem', () => {
    expect(cleaningVerdict({ ...good, width: 10, height: 10 }, ctx(), cfg)).toMatchObject({ reason: 'too-small', detail: 'size|10×10|640×480' });
    expect(cleaningVerdict(good, ctx({ accepted: [{ id: 7, sha256: 'aa', phash: 'ffffffffffffffff' }] }), cfg)).toMatchObject({ reason: 'exact-duplicate', duplicateOf: 7 });
    expect(cleaningVerdict(good, ctx({ accepted: [{ id: 3, sha256: 'bb', phash: '0000000000000003' }] }), cfg)).toMatchObject({ reason: 'near-duplicate', duplicateOf: 3, detail: '2' });
    expect(cleaningVerdict(good, ctx({ otherStationPhoto: { stationNo: 'B02' } }), cfg)).toMatchObject({ reason: 'other-station' });
    expect(cleaningVerdict({ ...good, sharpness: 5 }, ctx(), cfg)).toMatchObject({ reason: 'blurry' });
    expect(cleaningVerdict({ ...good, meanLuma: 20, highlightLuma: 40 }, ctx(), cfg)).toMatchObject({ reason: 'too-dark' });
    expect(cleaningVerdict({ ...good, brightFraction: 0.6, shadowLuma: 230 }, ctx(), cfg)).toMatchObject({ reason: 'too-bright' });
    expect(cleaningVerdict(good, ctx({ comboCount: 10 }), cfg)).toMatchObject({ reason: 'quota-full', detail: '10/10' });
  });

  it('does not call a distant phash a near duplicate', () => {
    expect(cleaningVerdict(good, ctx({ accepted: [{ id: 3, sha256: 'bb', phash: '00000000000000ff' }] }), cfg)).toEqual({ kind: 'accepted' });
  });

  it('reports quota-full only for an otherwise good photo', () => {
    expect(cleaningVerdict({ ...good, sharpness: 1 }, ctx({ comboCount: 10 }), cfg)).toMatchObject({ reason: 'blurry' });
  });

  it('quotes the measure that failed with its limit, not another figure of the same reason', () => {
    const detail = (q: Partial<PhotoQuality>) => {
      const v = cleaningVerdict({ ...good, ...q }, ctx(), cfg);
      return v.kind === 'rejected' ? { reason: v.reason, ...parseMeasureDetail(v.detail) } : undefined;
    };
    // Exposure quotes the end of the range that is gone, with its limit.
    expect(detail({ meanLuma: 250, brightFraction: 0.95, shadowLuma: 231 })).toEqual({ reason: 'too-bright', measure: 'shadows', value: '231', limit: '170' });
    expect(detail({ meanLuma: 129, brightFraction: 0.55, shadowLuma: 200 })).toEqual({ reason: 'too-bright', measure: 'shadows', value: '200', limit: '170' });
    expect(detail({ meanLuma: 12, darkFraction: 0.9, highlightLuma: 20 })).toEqual({ reason: 'too-dark', measure: 'highlights', value: '20', limit: '100' });
    expect(detail({ meanLuma: 100, darkFraction: 0.5, highlightLuma: 60 })).toEqual({ reason: 'too-dark', measure: 'highlights', value: '60', limit: '100' });
    expect(detail({ sharpness: 12.4 })).toEqual({ reason: 'blurry', measure: 'sharpness', value: '12', limit: '80' });
    expect(detail({ width: 400, height: 600 })).toEqual({ reason: 'too-small', measure: 'size', value: '400×600', limit: '640×480' });
  });

  // Issue 14 point 6: real photos a person would keep (figures as measured on real-gauges).
  it('keeps a gauge on a white background and a dark car dashboard, which still show the meter', () => {
    // 87 % of the frame blown out by the white background, yet the darkest 5 % (ticks, needle, bezel) are at 60.
    expect(cleaningVerdict({ ...good, meanLuma: 243, brightFraction: 0.87, shadowLuma: 60, highlightLuma: 255 }, ctx(), cfg)).toEqual({ kind: 'accepted' });
    // Mean brightness 35 and half the frame black, yet the dial's markings reach 210.
    expect(cleaningVerdict({ ...good, meanLuma: 35, darkFraction: 0.52, shadowLuma: 0, highlightLuma: 210 }, ctx(), cfg)).toEqual({ kind: 'accepted' });
  });

  it('still refuses a frame with no detail left at the other end', () => {
    expect(cleaningVerdict({ ...good, meanLuma: 243, brightFraction: 0.87, shadowLuma: 190, highlightLuma: 255 }, ctx(), cfg)).toMatchObject({ reason: 'too-bright' });
    expect(cleaningVerdict({ ...good, meanLuma: 35, darkFraction: 0.52, shadowLuma: 0, highlightLuma: 90 }, ctx(), cfg)).toMatchObject({ reason: 'too-dark' });
    // A dark or bright detail alone does not make a well-exposed frame suspect.
    expect(cleaningVerdict({ ...good, shadowLuma: 200 }, ctx(), cfg)).toEqual({ kind: 'accepted' });
    expect(cleaningVerdict({ ...good, highlightLuma: 50 }, ctx(), cfg)).toEqual({ kind: 'accepted' });
  });

  it('reads back only its own detail form', () => {
    expect(parseMeasureDetail('129')).toBeUndefined();
    expect(parseMeasureDetail('10/10')).toBeUndefined();
    expect(parseMeasureDetail('bogus|1|2')).toBeUndefined();
    expect(parseMeasureDetail(null)).toBeUndefined();
  });
});

describe('restoreCheck', () => {
  const base = { reason: 'blurry' as const, hasExactTwin: false, comboCount: 2, comboQuota: 10 };
  it('refuses an exact copy of an accepted photo, another station\'s photo and a full combo', () => {
    expect(restoreCheck({ ...base, reason: 'exact-duplicate', hasExactTwin: true })).toEqual({ kind: 'refused', why: 'exact-duplicate' });
    expect(restoreCheck({ ...base, reason: 'removed-by-user', hasExactTwin: true })).toEqual({ kind: 'refused', why: 'exact-duplicate' });
    expect(restoreCheck({ ...base, reason: 'other-station' })).toEqual({ kind: 'refused', why: 'other-station' });
    expect(restoreCheck({ ...base, comboCount: 10 })).toEqual({ kind: 'refused', why: 'quota-full' });
  });
  it('lets a near duplicate join with a warning, and other photos plainly', () => {
    expect(restoreCheck({ ...base, reason: 'near-duplicate' })).toEqual({ kind: 'ok', warning: 'near-duplicate' });
    expect(restoreCheck(base)).toEqual({ kind: 'ok' });
    expect(restoreCheck({ ...base, comboCount: 9 })).toEqual({ kind: 'ok' });
  });
});
