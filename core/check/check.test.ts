import { describe, expect, it } from 'vitest';
import { parseExamConfig } from '../exam-config.js';
import { runCheck, checkPhoto } from './check.js';
import { describeFinding } from './describe.js';
import type { EdgeEvidence } from './evidence.js';
import type { CheckBox, CheckPhoto, Finding } from './types.js';

const exam = parseExamConfig({
  title: 't',
  quotas: { '1': 1, '2': 1 },
  maxComboSize: 2,
  classes: [
    { id: 0, key: 'a', zh: '甲', en: 'A' },
    { id: 1, key: 'b', zh: '乙', en: 'B' },
  ],
});

const A: CheckBox = { classId: 0, x1: 10, y1: 10, x2: 110, y2: 110 };
const B: CheckBox = { classId: 1, x1: 200, y1: 50, x2: 300, y2: 150 };
const SURE = { deviationPx: 0, confidence: 1 };
const exactEdges: EdgeEvidence = { left: SURE, top: SURE, right: SURE, bottom: SURE };

function photo(over: Partial<CheckPhoto> = {}): CheckPhoto {
  return { id: 7, combo: '0+1', status: 'confirmed', width: 640, height: 480, boxes: [A, B], ...over };
}
const kinds = (fs: readonly Finding[]): string[] => fs.map((f) => f.kind);

describe('checkPhoto', () => {
  it('finds nothing on a confirmed photo with one exact box per class of its combo', () => {
    expect(checkPhoto(photo({ edges: [exactEdges, exactEdges] }))).toEqual([]);
  });

  it('flags a photo not yet confirmed', () => {
    expect(checkPhoto(photo({ status: 'prelabeled' }))).toEqual([{ kind: 'unconfirmed', severity: 'fail', photoId: 7, detail: { status: 'prelabeled' } }]);
  });

  it('flags a class of the combo with no box (missed object)', () => {
    expect(checkPhoto(photo({ boxes: [A] }))).toEqual([{ kind: 'missed-class', severity: 'fail', photoId: 7, detail: { classId: 1 } }]);
  });

  it('flags a second box of one class as extra (one meter per class per rig photo)', () => {
    const f = checkPhoto(photo({ boxes: [A, B, { ...A, x1: 400, x2: 500 }] }));
    expect(f).toEqual([{ kind: 'extra-box', severity: 'fail', photoId: 7, boxIndex: 2, detail: { classId: 0, count: 2 } }]);
  });

  it('flags a box whose class is not in the combo', () => {
    expect(kinds(checkPhoto(photo({ combo: '0', boxes: [A, B] })))).toEqual(['wrong-class']);
  });

  it('flags degenerate, tiny and out-of-image boxes, and counts neither degenerate nor tiny as the class', () => {
    const f = checkPhoto(photo({ boxes: [{ ...A, x2: A.x1 }, { ...B, y2: B.y1 + 5 }] }));
    expect(kinds(f).sort()).toEqual(['degenerate', 'missed-class', 'missed-class', 'tiny']);
    const out = checkPhoto(photo({ boxes: [A, { ...B, x2: 650 }] }));
    expect(out).toEqual([
      { kind: 'out-of-image', severity: 'fail', photoId: 7, boxIndex: 1, detail: { beyondPx: 10, imageWidth: 640, imageHeight: 480 } },
    ]);
  });

  it('does not count half a pixel of rounding as out of the image', () => {
    expect(checkPhoto(photo({ boxes: [A, { ...B, x2: 640.4 }] }))).toEqual([]);
  });

  it('flags two boxes on one object (IoU over the threshold), of any class', () => {
    const f = checkPhoto(photo({ boxes: [A, { ...A, classId: 1, x1: 12 }] }));
    expect(f).toEqual([{ kind: 'overlap', severity: 'fail', photoId: 7, boxIndex: 1, detail: { otherIndex: 0, iou: 0.98, isSameClass: false } }]);
  });

  it('flags a same-class box nested inside another (a dial boxed inside its meter)', () => {
    const f = checkPhoto(photo({ combo: '0', boxes: [A, { ...A, x1: 30, y1: 30, x2: 70, y2: 70 }] }));
    expect(kinds(f)).toEqual(['extra-box', 'overlap']);
  });

  it('says by how many pixels on which side a box is loose when the edges are sure', () => {
    const edges: EdgeEvidence = { ...exactEdges, left: { deviationPx: 7.2, confidence: 0.9 }, bottom: { deviationPx: 4.4, confidence: 0.8 } };
    const f = checkPhoto(photo({ edges: [edges, exactEdges] }));
    expect(f).toEqual([
      {
        kind: 'loose',
        severity: 'fail',
        photoId: 7,
        boxIndex: 0,
        detail: { sides: [{ side: 'left', px: 7.2 }, { side: 'bottom', px: 4.4 }], isDetectorAgreeing: false },
      },
    ]);
    expect(describeFinding(f[0] as Finding, exam.classes, 'en')).toBe('#7 box 1: loose: left +7 px, bottom +4 px');
    expect(describeFinding(f[0] as Finding, exam.classes, 'zh')).toBe('#7 框1: 框偏松：左边 +7 px，下边 +4 px');
  });

  it('keeps quiet within the judge tolerance and on weak evidence the detector does not share', () => {
    const near: EdgeEvidence = { ...exactEdges, left: { deviationPx: 3.5, confidence: 1 } };
    const weak: EdgeEvidence = { ...exactEdges, left: { deviationPx: 9, confidence: 0.5 } };
    expect(checkPhoto(photo({ edges: [near, weak] }))).toEqual([]);
  });

  it('flags weak loose evidence when the detector box agrees', () => {
    const weak: EdgeEvidence = { ...exactEdges, left: { deviationPx: 9, confidence: 0.5 } };
    const detections = [{ ...A, x1: A.x1 + 8, score: 0.9 }];
    const f = checkPhoto(photo({ edges: [weak, exactEdges], detections }));
    expect(f).toEqual([
      { kind: 'loose', severity: 'fail', photoId: 7, boxIndex: 0, detail: { sides: [{ side: 'left', px: 9 }], isDetectorAgreeing: true } },
    ]);
  });

  it('flags a tight side only when the detector agrees that the box cuts the object', () => {
    const cut: EdgeEvidence = { ...exactEdges, top: { deviationPx: -10, confidence: 0.9 } };
    expect(checkPhoto(photo({ edges: [cut, exactEdges] }))).toEqual([]);
    const detections = [{ ...A, y1: A.y1 - 10, score: 0.9 }];
    const f = checkPhoto(photo({ edges: [cut, exactEdges], detections }));
    expect(f).toEqual([
      { kind: 'tight', severity: 'fail', photoId: 7, boxIndex: 0, detail: { sides: [{ side: 'top', px: -10 }], isDetectorAgreeing: true } },
    ]);
  });
});

describe('runCheck', () => {
  it('lists combos short of quota, ignores rejected photos, and sorts findings by kind then photo', () => {
    const photos: CheckPhoto[] = [
      photo({ id: 3, combo: '0', boxes: [A], status: 'clean' }),
      photo({ id: 2, combo: '1', boxes: [B] }),
      photo({ id: 1, combo: '1', boxes: [], status: 'rejected' }),
    ];
    const f = runCheck({ exam, photos });
    expect(f.map((x) => [x.kind, x.photoId])).toEqual([
      ['unconfirmed', 3],
      ['short-quota', null],
    ]);
    expect(f[1]).toMatchObject({ detail: { combo: '0+1', quota: 1, captured: 0, missing: 1 } });
    expect(describeFinding(f[1] as Finding, exam.classes, 'zh')).toBe('甲 + 乙：已拍 0/1，还差 1 张');
  });
});
