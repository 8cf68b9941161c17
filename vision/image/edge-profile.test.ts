import { describe, expect, it } from 'vitest';
import { locateEdge } from './edge-profile.js';

/** A profile of `2 × radius + 1` offsets: background `bg` everywhere, `values` set at inward offsets. */
function profile(radius: number, bg: number, values: Record<number, number>): number[] {
  const p = Array.from({ length: 2 * radius + 1 }, () => bg);
  for (const [offset, v] of Object.entries(values)) p[Number(offset) + radius] = v;
  return p;
}

describe('locateEdge', () => {
  it('puts a sharp edge on the labeled side at offset 0 with full confidence', () => {
    const e = locateEdge(profile(10, 2, { '-1': 40, 0: 80, 1: 40, 2: 20, 3: 20, 4: 20 }), 10);
    expect(e?.offset).toBeCloseTo(0, 5);
    expect(e?.confidence).toBe(1);
  });

  it('finds the edge inside a loose side across a plain band', () => {
    const e = locateEdge(profile(10, 2, { 5: 40, 6: 80, 7: 40, 8: 30, 9: 30, 10: 30 }), 10);
    expect(e?.offset).toBeCloseTo(6, 5);
    expect(e?.confidence).toBe(1);
  });

  it('takes a weak outline that stands out of quiet background over a strong edge further in', () => {
    // A dark bezel on a dark panel: a weak step at the side, the bright dial 8 px in.
    const e = locateEdge(profile(10, 1, { 0: 10, 1: 10, 2: 10, 3: 10, 8: 90 }), 10);
    expect(e?.offset).toBeCloseTo(0, 0);
  });

  it('walks outward when the side cuts through the object', () => {
    // The object's outline 4 px outside the side, its texture from there inward.
    const inside = { '-3': 30, '-2': 30, '-1': 30, 0: 30, 1: 30, 2: 30 };
    const e = locateEdge(profile(10, 2, { '-4': 80, ...inside }), 10);
    expect(e?.offset).toBeLessThan(-3);
    expect(e?.offset).toBeGreaterThan(-5);
  });

  it('is less sure when the band crossed is busy', () => {
    const plain = locateEdge(profile(10, 2, { 6: 80 }), 10);
    const busy = locateEdge(profile(10, 2, { 3: 5, 6: 80 }), 10);
    expect(busy?.offset).toBeCloseTo(6, 5);
    expect(busy?.confidence ?? 1).toBeLessThan(plain?.confidence ?? 0);
  });

  it('says nothing about a flat window', () => {
    expect(locateEdge(profile(10, 3, {}), 10)).toBeNull();
  });
});
