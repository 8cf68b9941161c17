import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Box } from '../../core/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../synth/index.js';
import { decodeForEdges } from './edges.js';
import { snapBox, snapBoxInPhoto, snapProposals } from './snap.js';
import { prng } from './test-images.js';
import type { RawImage } from './types.js';

/**
 * Snapping on generated images whose objects' edges are known: a digital meter (a dark
 * rounded rectangle) and a round gauge (a light dial in a dark bezel) on a grey panel
 * with sensor noise. Pixel-edge boxes: the meter covers x 60..220, y 80..180; the gauge's
 * circle (radius 70 with an 8 px outline) covers 320..478, 161..319.
 */
const METER: Box = { x1: 60, y1: 80, x2: 220, y2: 180 };
const GAUGE: Box = { x1: 321, y1: 161, x2: 479, y2: 319 };

async function panel(): Promise<{ jpeg: Buffer; image: RawImage }> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#9aa0a6"/>
    <rect x="60" y="80" width="160" height="100" rx="6" fill="#1e2a24"/>
    <text x="80" y="150" font-size="44" fill="#7f7" font-family="monospace">88.8</text>
    <circle cx="400" cy="240" r="75" fill="#f4f4ee" stroke="#2a2a2a" stroke-width="8"/>
    <line x1="400" y1="240" x2="440" y2="200" stroke="#c00" stroke-width="4"/>
  </svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rand = prng(5);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, (data[i] ?? 0) + Math.round(6 * (rand() - 0.5))));
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  return { jpeg, image: await decodeForEdges(jpeg) };
}

function expectWithin(box: Box, want: Box, px: number): void {
  for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(box[k] - want[k]), `${k}: ${box[k]} vs ${want[k]}`).toBeLessThanOrEqual(px);
}

describe('snapBox on generated images', () => {
  it('tightens a loose box around a digital meter to its case, each side by its own amount', async () => {
    const { image } = await panel();
    const rough = { x1: METER.x1 - 9, y1: METER.y1 - 4, x2: METER.x2 + 12, y2: METER.y2 + 6 };
    const r = snapBox(image, rough);
    expectWithin(r.box, METER, 1);
    expect(r.isChanged).toBe(true);
    expect(r.sides.left.px).toBeCloseTo(9, 0);
    expect(r.sides.right.px).toBeCloseTo(12, 0);
  });

  it('tightens a loose, shifted box around a round gauge to the bezel circle', async () => {
    const { image } = await panel();
    const rough = { x1: GAUGE.x1 - 14, y1: GAUGE.y1 - 2, x2: GAUGE.x2 + 4, y2: GAUGE.y2 + 13 };
    expectWithin(snapBox(image, rough).box, GAUGE, 1.5);
  });

  it('leaves a side that cuts the object where it is by default, and grows it to the outline when asked', async () => {
    const { image } = await panel();
    const cut = { ...GAUGE, x2: GAUGE.x2 - 7 };
    expect(snapBox(image, cut).sides.right.px).toBe(0);
    const grown = snapBox(image, cut, { outwardConfidence: 0.7 });
    expect(grown.sides.right.px).toBeLessThan(-5);
    expectWithin(grown.box, GAUGE, 1.5);
  });

  it('leaves exact boxes as they are: never shrinks into the object', async () => {
    const { image } = await panel();
    for (const exact of [METER, GAUGE]) expectWithin(snapBox(image, exact).box, exact, 1);
  });

  it('leaves a box on plain panel as it is: no evidence, no move', async () => {
    const { image } = await panel();
    const flat = { x1: 40, y1: 260, x2: 200, y2: 420 };
    const r = snapBox(image, flat);
    expect(r.isChanged).toBe(false);
    expect(r.box).toEqual(flat);
  });

  it('never grows a side over plain background into the background', async () => {
    const { image } = await panel();
    // The left side lies on plain panel 10 px left of the meter with the others exact:
    // snapping may move it in to the case, never further out.
    const r = snapBox(image, { ...METER, x1: METER.x1 - 10 });
    expect(r.box.x1).toBeGreaterThanOrEqual(METER.x1 - 10);
    expectWithin(r.box, METER, 1);
  });
});

describe('snapBoxInPhoto (the editor route: region decode)', () => {
  it('snaps in the oriented image of a JPEG whose EXIF says rotate 90°', async () => {
    const { jpeg } = await panel();
    // Stored rotated 90° counter-clockwise with orientation 6: viewers (and we) turn it back upright.
    const stored = await sharp(jpeg).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
    const r = await snapBoxInPhoto(stored, { x1: METER.x1 - 8, y1: METER.y1 - 8, x2: METER.x2 + 8, y2: METER.y2 + 8 });
    expectWithin(r.box, METER, 1.5);
  });

  it('matches snapping the whole decoded photo', async () => {
    const { jpeg, image } = await panel();
    const rough = { x1: GAUGE.x1 - 10, y1: GAUGE.y1 - 10, x2: GAUGE.x2 + 10, y2: GAUGE.y2 + 10 };
    expectWithin((await snapBoxInPhoto(jpeg, rough)).box, snapBox(image, rough).box, 0.5);
  });
});

describe('snapProposals', () => {
  it('snaps proposals on a half-size display image and answers in source pixels, keeping other fields', async () => {
    const { jpeg } = await panel();
    const { data, info } = await sharp(jpeg).resize(320, 240).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const display: RawImage = { data, width: info.width, height: info.height, channels: 3 };
    const proposals = [{ classId: 2, score: 0.8, x1: METER.x1 - 12, y1: METER.y1 - 10, x2: METER.x2 + 12, y2: METER.y2 + 10 }];
    const [snapped] = await snapProposals(display, { width: 640, height: 480 }, proposals);
    expect(snapped).toMatchObject({ classId: 2, score: 0.8 });
    if (!snapped) throw new Error('no box');
    expectWithin(snapped, METER, 3);
  });
});

describe('snapBox on synthetic rig photos', () => {
  it('brings boxes loose by 6 px on every side closer to the exact ones, and none further', async () => {
    let improved = 0;
    let boxes = 0;
    for (const seed of [13, 29, 30]) {
      const p = await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'digital'], difficulty: 0.2 });
      const image = await decodeForEdges(p.jpeg);
      for (const exact of p.boxes) {
        const rough = { x1: exact.x1 - 6, y1: exact.y1 - 6, x2: exact.x2 + 6, y2: exact.y2 + 6 };
        const err = (b: Box) => Math.max(Math.abs(b.x1 - exact.x1), Math.abs(b.y1 - exact.y1), Math.abs(b.x2 - exact.x2), Math.abs(b.y2 - exact.y2));
        const after = err(snapBox(image, rough).box);
        expect(after).toBeLessThanOrEqual(err(rough) + 0.01);
        boxes++;
        if (after <= 3) improved++;
      }
    }
    // Seed 30's digital meter has a dark case on a dark rail: too weak an edge, left as it was.
    expect(boxes).toBe(6);
    expect(improved).toBeGreaterThanOrEqual(4);
  });
});
