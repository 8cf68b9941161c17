import { describe, expect, it } from 'vitest';
// The browser module itself (plain ES module, no DOM): what the editor page runs.
import { CLASS_PURPOSE, classBody, classOf, toAnnotation, toBox } from './static/editor-boxes.js';

describe('editor-boxes: Annotorious rectangles ⇄ {classId, x1, y1, x2, y2}', () => {
  it('round-trips an API box through an annotation', () => {
    const box = { classId: 2, x1: 10, y1: 20, x2: 110, y2: 70 };
    const a = toAnnotation(box, 0);
    expect(a.id).toBe('box-1');
    expect(a.target.selector.geometry).toMatchObject({ x: 10, y: 20, w: 100, h: 50 });
    expect(classOf(a)).toBe(2);
    expect(toBox(a, 640, 480, 0)).toEqual(box);
  });

  it('clamps to the image and rounds to a tenth of a pixel', () => {
    const a = toAnnotation({ classId: 1, x1: -5.04, y1: 3.333, x2: 700, y2: 40.06 }, 3);
    expect(a.id).toBe('box-4');
    expect(toBox(a, 640, 480, 0)).toEqual({ classId: 1, x1: 0, y1: 3.3, x2: 640, y2: 40.1 });
  });

  it('drops a box with no area left inside the image, and a non-rectangle', () => {
    expect(toBox(toAnnotation({ classId: 0, x1: 650, y1: 10, x2: 700, y2: 60 }, 0), 640, 480, 0)).toBeNull();
    expect(toBox(toAnnotation({ classId: 0, x1: 10, y1: 10, x2: 10.5, y2: 60 }, 0), 640, 480, 0)).toBeNull();
    const polygon = { id: 'p', bodies: [], target: { annotation: 'p', selector: { type: 'POLYGON', geometry: {} } } };
    expect(toBox(polygon, 640, 480, 0)).toBeNull();
  });

  it('gives a just-drawn box (no class body yet) the class being drawn', () => {
    const a = { ...toAnnotation({ classId: 0, x1: 1, y1: 1, x2: 9, y2: 9 }, 0), bodies: [] };
    expect(classOf(a)).toBeUndefined();
    expect(toBox(a, 100, 100, 4)?.classId).toBe(4);
    expect(classBody('box-9', 4)).toEqual({ id: 'box-9-class', annotation: 'box-9', purpose: CLASS_PURPOSE, value: '4' });
  });
});
