import { describe, expect, it } from 'vitest';
import { measureDetail } from '../cleaning.js';
import { rejectText } from './reasons.js';

describe('rejectText', () => {
  it('quotes the failing measure and its limit in both languages', () => {
    const d = measureDetail('brightShare', '55%', '40%');
    expect(rejectText('zh', 'too-bright', d, null).reason).toBe('照片过亮（过曝像素占 55%，上限 40%）');
    expect(rejectText('en', 'too-bright', d, null).reason).toBe('too bright (55% of pixels blown out, at most 40%)');
    expect(rejectText('zh', 'too-dark', measureDetail('lumaLow', '20', '45'), null).reason).toBe('照片过暗（平均亮度 20，至少 45）');
    expect(rejectText('en', 'blurry', measureDetail('sharpness', '12', '60'), null).reason).toBe('blurry (sharpness 12, at least 60)');
    expect(rejectText('en', 'too-small', measureDetail('size', '480×320', '640×480'), null).reason).toBe('resolution too low (480×320, at least 640×480)');
  });

  it('still reads details stored before (a bare figure)', () => {
    expect(rejectText('en', 'blurry', '12', null).reason).toBe('blurry (sharpness 12)');
  });

  it('explains why an exact duplicate cannot be kept', () => {
    expect(rejectText('en', 'exact-duplicate', null, 3).tip).toContain('judges sample photos');
    expect(rejectText('zh', 'exact-duplicate', null, 3).tip).toContain('评委会抽检');
  });
});
