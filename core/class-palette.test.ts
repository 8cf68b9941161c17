import { describe, expect, it } from 'vitest';
import { classPalette } from './class-palette.js';

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

describe('classPalette', () => {
  it('gives n distinct #rrggbb colours, stable by index', () => {
    const many = classPalette(60);
    expect(many).toHaveLength(60);
    for (const c of many) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(many).size).toBe(60);
    expect(classPalette(5)).toEqual(many.slice(0, 5));
    expect(classPalette(0)).toEqual([]);
  });

  it('keeps the first 12 far apart and neither near black nor near white', () => {
    const colours = classPalette(12).map(rgb);
    for (let i = 0; i < colours.length; i++) {
      const [r, g, b] = colours[i]!;
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      expect(luma).toBeGreaterThan(60);
      expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(80);
      for (let j = i + 1; j < colours.length; j++) {
        const [r2, g2, b2] = colours[j]!;
        expect(Math.hypot(r - r2, g - g2, b - b2), `colours ${i} and ${j}`).toBeGreaterThan(80);
      }
    }
  });

  it('rejects a negative or fractional count', () => {
    expect(() => classPalette(-1)).toThrow(RangeError);
    expect(() => classPalette(1.5)).toThrow(RangeError);
  });
});
