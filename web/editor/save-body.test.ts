import { describe, expect, it } from 'vitest';
import { MAX_BOXES, parseSaveBody } from './save-body.js';

const limits = { width: 640, height: 480, classIds: new Set([0, 1, 2]) };
const box = { classId: 1, x1: 10, y1: 20, x2: 110, y2: 220 };

describe('save body', () => {
  it('accepts boxes, drops unknown keys and clamps to the image', () => {
    const r = parseSaveBody({ boxes: [{ ...box, source: 'model', id: 9 }, { classId: 2, x1: -30, y1: 400, x2: 700, y2: 500 }] }, limits);
    expect(r).toEqual({ ok: true, boxes: [box, { classId: 2, x1: 0, y1: 400, x2: 640, y2: 480 }] });
  });

  it('refuses a malformed body', () => {
    for (const raw of [null, [], 'x', {}, { boxes: {} }]) expect(parseSaveBody(raw, limits)).toEqual({ ok: false, error: 'bad-body' });
  });

  it('refuses no boxes and more than 50', () => {
    expect(parseSaveBody({ boxes: [] }, limits)).toEqual({ ok: false, error: 'no-boxes' });
    expect(parseSaveBody({ boxes: Array(MAX_BOXES).fill(box) }, limits).ok).toBe(true);
    expect(parseSaveBody({ boxes: Array(MAX_BOXES + 1).fill(box) }, limits)).toEqual({ ok: false, error: 'too-many-boxes' });
  });

  it('names the bad box: non-finite or missing numbers, unknown class, inverted corners, outside the image', () => {
    const at2 = (b: unknown) => parseSaveBody({ boxes: [box, b] }, limits);
    expect(at2({ ...box, x2: JSON.parse('1e999') as number })).toEqual({ ok: false, error: 'bad-box', box: 2 });
    expect(at2({ ...box, y1: Number.NaN })).toEqual({ ok: false, error: 'bad-box', box: 2 });
    expect(at2({ ...box, x1: '10' })).toEqual({ ok: false, error: 'bad-box', box: 2 });
    expect(at2({ classId: 1, x1: 1, y1: 1, x2: 5 })).toEqual({ ok: false, error: 'bad-box', box: 2 });
    expect(at2({ ...box, classId: 1.5 })).toEqual({ ok: false, error: 'bad-box', box: 2 });
    expect(at2({ ...box, classId: 3 })).toEqual({ ok: false, error: 'bad-class', box: 2 });
    expect(at2({ ...box, x2: box.x1 })).toEqual({ ok: false, error: 'bad-order', box: 2 });
    expect(at2({ ...box, y1: 300, y2: 200 })).toEqual({ ok: false, error: 'bad-order', box: 2 });
    expect(at2({ ...box, x1: 700, x2: 800 })).toEqual({ ok: false, error: 'outside-image', box: 2 });
    expect(at2({ ...box, y1: -50, y2: -1 })).toEqual({ ok: false, error: 'outside-image', box: 2 });
  });
});
