import { describe, expect, it } from 'vitest';
import { cleaningVerdict, type CleaningContext, type PhotoQuality } from './cleaning.js';
import { parseExamConfig } from './exam-config.js';

const cfg = parseExamConfig({ title: 't', quotas: { '1': 10 }, classes: [{ id: 0, key: 'a', zh: '甲', en: 'A' }] }).cleaning;
const good: PhotoQuality = {
  width: 4000, height: 3000, sharpness: 500, meanLuma: 120, darkFraction: 0.02, brightFraction: 0.01,
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
    expect(cleaningVerdict({ ...good, width: 10, height: 10 }, ctx(), cfg)).toMatchObject({ reason: 'too-small', detail: '10×10' });
    expect(cleaningVerdict(good, ctx({ accepted: [{ id: 7, sha256: 'aa', phash: 'ffffffffffffffff' }] }), cfg)).toMatchObject({ reason: 'exact-duplicate', duplicateOf: 7 });
    expect(cleaningVerdict(good, ctx({ accepted: [{ id: 3, sha256: 'bb', phash: '0000000000000003' }] }), cfg)).toMatchObject({ reason: 'near-duplicate', duplicateOf: 3, detail: '2' });
    expect(cleaningVerdict(good, ctx({ otherStationPhoto: { stationNo: 'B02' } }), cfg)).toMatchObject({ reason: 'other-station' });
    expect(cleaningVerdict({ ...good, sharpness: 5 }, ctx(), cfg)).toMatchObject({ reason: 'blurry' });
    expect(cleaningVerdict({ ...good, meanLuma: 20 }, ctx(), cfg)).toMatchObject({ reason: 'too-dark' });
    expect(cleaningVerdict({ ...good, brightFraction: 0.6 }, ctx(), cfg)).toMatchObject({ reason: 'too-bright' });
    expect(cleaningVerdict(good, ctx({ comboCount: 10 }), cfg)).toMatchObject({ reason: 'quota-full', detail: '10/10' });
  });

  it('does not call a distant phash a near duplicate', () => {
    expect(cleaningVerdict(good, ctx({ accepted: [{ id: 3, sha256: 'bb', phash: '00000000000000ff' }] }), cfg)).toEqual({ kind: 'accepted' });
  });

  it('reports quota-full only for an otherwise good photo', () => {
    expect(cleaningVerdict({ ...good, sharpness: 1 }, ctx({ comboCount: 10 }), cfg)).toMatchObject({ reason: 'blurry' });
  });
});
