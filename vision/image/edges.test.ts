import { describe, expect, it } from 'vitest';
import { checkPhoto, type CheckPhoto } from '../../core/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../synth/index.js';
import { decodeForEdges, measureBoxEdges } from './edges.js';

/**
 * Synthetic rig photos (exact boxes) through the whole path: decode, measure, findings.
 * These photos have plain edges on every side; on average about half of all 6 px loose
 * sides are found (shadows and dark bezels hide the rest; `npm run bench -- check`).
 */
const CASES = [
  { seed: 13, combo: ['digital'] },
  { seed: 29, combo: ['gauge_normal', 'digital'] },
  { seed: 30, combo: ['gauge_normal'] },
];

async function photo(seed: number, combo: string[]) {
  const p = await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo, difficulty: 0.2 });
  return { ...p, image: await decodeForEdges(p.jpeg) };
}

function asCheck(p: { width: number; height: number }, boxes: CheckPhoto['boxes'], edges: CheckPhoto['edges']): CheckPhoto {
  const combo = [...new Set(boxes.map((b) => b.classId))].sort((a, b) => a - b).join('+');
  return { id: 1, combo, status: 'confirmed', width: p.width, height: p.height, boxes, edges };
}

describe('edge evidence on synthetic rig photos', () => {
  it.each(CASES)('finds nothing loose or tight on the exact boxes (seed $seed)', async ({ seed, combo }) => {
    const p = await photo(seed, combo);
    const edges = p.boxes.map((b) => measureBoxEdges(p.image, b));
    const findings = checkPhoto(asCheck(p, p.boxes, edges));
    expect(findings.filter((f) => f.kind === 'loose' || f.kind === 'tight')).toEqual([]);
    // The left sides (grown below) sit on the measured edges, within the judge's 2 px scale.
    for (const e of edges) expect(Math.abs(e.left?.deviationPx ?? 99)).toBeLessThanOrEqual(2);
  });

  it.each(CASES)('says "loose left ≈ +8 px" for a box grown 8 px on the left (seed $seed)', async ({ seed, combo }) => {
    const p = await photo(seed, combo);
    const boxes = p.boxes.map((b) => ({ ...b, x1: b.x1 - 8 }));
    const findings = checkPhoto(asCheck(p, boxes, boxes.map((b) => measureBoxEdges(p.image, b))));
    const loose = findings.filter((f) => f.kind === 'loose');
    expect(loose).toHaveLength(boxes.length);
    for (const f of loose) {
      if (f.kind !== 'loose') continue;
      expect(f.detail.sides.map((s) => s.side)).toEqual(['left']);
      expect(f.detail.sides[0]?.px).toBeGreaterThanOrEqual(6.5);
      expect(f.detail.sides[0]?.px).toBeLessThanOrEqual(9.5);
    }
  });
});
