import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createLogger, iou, loadConfig, prelabel, seededRandom, type Box, type CheckBox } from '../../core/index.js';
import { loadExamConfigFile } from '../../store/index.js';
import { decodeForEdges, loadDetector, snapBox, snapBoxInPhoto, snapProposals, type RawImage, type SnapOptions } from '../../vision/index.js';
import { DEFAULT_CLASSES, planCombos, renderRigPhoto } from '../../vision/synth/index.js';
import { ensureBaseModel } from '../../workers/base-model.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';
import { attachDetections } from './check.js';
import { realGaugePhotos, synthPhotos, type ExactPhoto } from './check-data.js';

/**
 * Snap to the object (`vision/image/snap.ts`): rough boxes made from exact ones (every
 * side loose by +3/+6/+10 px; shifted; each side moved at random), and the base
 * detector's own proposals, snapped. Mean IoU with the exact box before and after, and
 * the share of boxes within 2 px of the exact box on all four sides, on 100 synthetic
 * photos and on the real-gauges evaluation half (g058 and up); the time of one snap
 * as the editor's route does it (decode the box's region of the photo, snap).
 */
const N = 100;

interface Rough {
  label: string;
  make: (b: CheckBox, rand: () => number) => CheckBox;
}

const grow = (b: CheckBox, px: number): CheckBox => ({ ...b, x1: b.x1 - px, y1: b.y1 - px, x2: b.x2 + px, y2: b.y2 + px });
const ROUGH: Rough[] = [
  { label: 'all sides +3 px', make: (b) => grow(b, 3) },
  { label: 'all sides +6 px', make: (b) => grow(b, 6) },
  { label: 'all sides +10 px', make: (b) => grow(b, 10) },
  {
    label: '+6 px and shifted ±5 px',
    make: (b, r) => {
      const dx = Math.round(10 * r() - 5);
      const dy = Math.round(10 * r() - 5);
      const g = grow(b, 6);
      return { ...g, x1: g.x1 + dx, x2: g.x2 + dx, y1: g.y1 + dy, y2: g.y2 + dy };
    },
  },
  {
    label: 'each side −4..+10 px',
    make: (b, r) => ({ ...b, x1: b.x1 - (14 * r() - 4), y1: b.y1 - (14 * r() - 4), x2: b.x2 + (14 * r() - 4), y2: b.y2 + (14 * r() - 4) }),
  },
];

export interface Measured {
  photo: ExactPhoto;
  image: RawImage;
}

const clampBox = (b: CheckBox, w: number, h: number): CheckBox => ({ ...b, x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(w, b.x2), y2: Math.min(h, b.y2) });
const within2 = (a: Box, b: Box): boolean => Math.max(Math.abs(a.x1 - b.x1), Math.abs(a.y1 - b.y1), Math.abs(a.x2 - b.x2), Math.abs(a.y2 - b.y2)) <= 2;

interface Score {
  boxes: number;
  iouBefore: number;
  iouAfter: number;
  tightBefore: number;
  tightAfter: number;
  worse: number;
  /** Share with IoU ≥ 0.9 (the `prelabel` bench's one-tap bar for a box). */
  oneTapBefore: number;
  oneTapAfter: number;
}

function score(pairs: readonly { exact: Box; rough: Box; snapped: Box }[]): Score {
  const s: Score = { boxes: pairs.length, iouBefore: 0, iouAfter: 0, tightBefore: 0, tightAfter: 0, worse: 0, oneTapBefore: 0, oneTapAfter: 0 };
  for (const p of pairs) {
    const before = iou(p.rough, p.exact);
    const after = iou(p.snapped, p.exact);
    s.iouBefore += before / pairs.length;
    s.iouAfter += after / pairs.length;
    if (within2(p.rough, p.exact)) s.tightBefore += 1 / pairs.length;
    if (within2(p.snapped, p.exact)) s.tightAfter += 1 / pairs.length;
    if (after < before - 0.01) s.worse += 1 / pairs.length;
    if (before >= 0.9) s.oneTapBefore += 1 / pairs.length;
    if (after >= 0.9) s.oneTapAfter += 1 / pairs.length;
  }
  return s;
}

function report(out: Metric[], name: string, s: Score): void {
  out.push(metric(`${name}: mean IoU before snap (${s.boxes} boxes)`, s.iouBefore, 'IoU'));
  out.push(metric(`${name}: mean IoU after snap`, s.iouAfter, 'IoU'));
  out.push(metric(`${name}: within 2 px on all sides, before snap`, 100 * s.tightBefore, '%'));
  out.push(metric(`${name}: within 2 px on all sides, after snap`, 100 * s.tightAfter, '%'));
  out.push(metric(`${name}: IoU ≥ 0.9 before snap`, 100 * s.oneTapBefore, '%'));
  out.push(metric(`${name}: IoU ≥ 0.9 after snap`, 100 * s.oneTapAfter, '%'));
  out.push(metric(`${name}: boxes made worse (IoU −0.01 or more)`, 100 * s.worse, '%'));
}

/** Rough boxes of every kind on `set`, snapped with `options`; one Score per kind. */
export function snapScores(set: readonly Measured[], options: SnapOptions = {}): { label: string; score: Score }[] {
  return ROUGH.map((r) => {
    const rand = seededRandom(7);
    const pairs = set.flatMap((m) =>
      m.photo.boxes.map((exact) => {
        const rough = clampBox(r.make(exact, rand), m.photo.width, m.photo.height);
        return { exact, rough, snapped: snapBox(m.image, rough, options).box };
      }),
    );
    return { label: r.label, score: score(pairs) };
  });
}

/** The detector's proposal matched to each exact box (IoU ≥ 0.5, same class), snapped. */
export function proposalScore(set: readonly Measured[], options: SnapOptions = {}): Score {
  const pairs: { exact: Box; rough: Box; snapped: Box }[] = [];
  for (const m of set) {
    for (const exact of m.photo.boxes) {
      let best: Box | undefined;
      let bestIou = 0.5;
      for (const d of m.photo.detections ?? []) {
        const v = d.classId === exact.classId ? iou(d, exact) : 0;
        if (v >= bestIou) {
          best = d;
          bestIou = v;
        }
      }
      if (best) pairs.push({ exact, rough: best, snapped: snapBox(m.image, best, options).box });
    }
  }
  return score(pairs);
}

/**
 * The `prelabel` bench's one-tap share (every box IoU ≥ 0.9 with the right class, nothing
 * extra) on its photos (40 rig photos, 1280×960, seed 7), with the base detector's
 * pre-labels as `proposeLabels` makes them, without and with snapping.
 */
async function oneTapShare(): Promise<{ before: number; after: number; photos: number } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-snap-'));
  try {
    const exam = loadExamConfigFile('config/exam.yaml');
    const model = await ensureBaseModel(loadConfig({ DATA_DIR: dir }), exam, createLogger({ name: 'bench', level: 'silent' }));
    if (!model) return undefined;
    const detector = await loadDetector(model);
    const combos = planCombos(DEFAULT_CLASSES, 40, 7);
    let before = 0;
    let after = 0;
    try {
      for (const [i, combo] of combos.entries()) {
        const photo = await renderRigPhoto({ seed: 7000 + i, classes: DEFAULT_CLASSES, combo, width: 1280, height: 960 });
        const { data, info } = await sharp(photo.jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const display: RawImage = { data, width: info.width, height: info.height, channels: 3 };
        const size = { width: photo.width, height: photo.height };
        const ids = combo.map((k) => DEFAULT_CLASSES.find((c) => c.key === k)?.id ?? -1);
        const result = prelabel(await detector.detect(display, { sourceSize: size }), ids, size);
        const raw = result.boxes.map((b) => ({ ...b.box, classId: b.classId }));
        const isOneTap = (boxes: readonly (Box & { classId: number })[]): boolean =>
          boxes.length === photo.boxes.length && photo.boxes.every((g) => boxes.some((p) => p.classId === g.classId && iou(p, g) >= 0.9));
        if (isOneTap(raw)) before++;
        if (isOneTap(await snapProposals(display, size, raw))) after++;
      }
    } finally {
      await detector.close();
    }
    return { before: before / combos.length, after: after / combos.length, photos: combos.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  name: 'snap',
  description: 'snap to the object: IoU and within-2-px share of rough and proposed boxes before/after, time of one snap',
  async run(): Promise<Metric[]> {
    const out: Metric[] = [];
    const synth = await synthPhotos(N, 21);
    const hasDetector = await attachDetections(synth);
    const measured: Measured[] = [];
    for (const p of synth) measured.push({ photo: p, image: await decodeForEdges(p.input) });
    for (const { label, score: s } of snapScores(measured)) report(out, `synth, ${label}`, s);
    if (hasDetector) report(out, 'synth, base detector proposals', proposalScore(measured));
    const share = await oneTapShare();
    if (share) {
      out.push(metric(`prelabel photos (${share.photos}, 1280×960): one-tap share, base model, no snap`, share.before, 'ratio'));
      out.push(metric(`prelabel photos (${share.photos}, 1280×960): one-tap share, base model, snapped`, share.after, 'ratio'));
    }

    const real: Measured[] = [];
    for (const p of realGaugePhotos()) real.push({ photo: p, image: await decodeForEdges(p.input) });
    if (real.length > 0) for (const { label, score: s } of snapScores(real)) report(out, `real-gauges g058+, ${label}`, s);

    // The editor's route: decode the box's region of the photo, then snap (first 30 synthetic photos' boxes).
    const times: number[] = [];
    for (const p of synth.slice(0, 30)) {
      for (const b of p.boxes) {
        const t0 = performance.now();
        await snapBoxInPhoto(p.input, grow(b, 6));
        times.push(performance.now() - t0);
      }
    }
    out.push(metric('one snap, 640×480 JPEG (region decode + snap), p50', percentile(times, 50), 'ms'));
    out.push(metric('one snap, 640×480 JPEG (region decode + snap), p95', percentile(times, 95), 'ms'));
    return out;
  },
};
