import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import {
  BOX_SIDES,
  checkPhoto,
  createLogger,
  fitBox,
  flagThresholdPx,
  loadConfig,
  matchDetection,
  runCheck,
  type CheckPhoto,
  type EdgeEvidence,
} from '../../core/index.js';
import { loadExamConfigFile } from '../../store/index.js';
import { decodeForEdges, loadDetector, measureBoxEdges, type RawImage } from '../../vision/index.js';
import { ensureBaseModel } from '../../workers/base-model.js';
import { metric, type Bench, type Metric } from '../metric.js';
import { moveSide, perturbationPx, realGaugePhotos, synthPhotos, type ExactPhoto, type Perturbation } from './check-data.js';

/**
 * The pre-acceptance check's precision: false alarms (loose / tight / overlap findings)
 * on exact boxes, per box, and how often a side moved by a known amount is found, on
 * synthetic rig photos (edges alone, and edges + the shipped base detector) and on the
 * real-gauges evaluation half. Plus the time of a whole `/check` on 100 photos
 * (decode, edge measurement, findings; detections are stored pre-labels, not re-run).
 */
const N = 100;
const SYNTH_PERTURBATIONS: Perturbation[] = [
  { label: '+3 px', px: 3 },
  { label: '+6 px', px: 6 },
  { label: '+10 px', px: 10 },
  { label: '+3 %', fraction: 0.03 },
  { label: '+6 %', fraction: 0.06 },
  { label: '-6 px', px: -6 },
  { label: '-12 px', px: -12 },
];
const REAL_PERTURBATIONS: Perturbation[] = [
  { label: '+6 px', px: 6 },
  { label: '+4 %', fraction: 0.04 },
  { label: '+8 %', fraction: 0.08 },
  { label: '-4 %', fraction: -0.04 },
];

interface Measured {
  photo: ExactPhoto;
  image: RawImage;
}

function asCheckPhoto(m: Measured, edges: EdgeEvidence[], useDetector: boolean): CheckPhoto {
  const p = m.photo;
  return {
    id: 1,
    combo: p.combo,
    status: 'confirmed',
    width: p.width,
    height: p.height,
    boxes: p.boxes,
    edges,
    ...(useDetector && p.detections ? { detections: p.detections } : {}),
  };
}

/** Share of exact boxes with a loose, tight or overlap finding. */
function falseAlarms(set: readonly Measured[], useDetector: boolean): { rate: number; boxes: number } {
  let boxes = 0;
  let flagged = 0;
  for (const m of set) {
    const edges = m.photo.boxes.map((b) => measureBoxEdges(m.image, b));
    const findings = checkPhoto(asCheckPhoto(m, edges, useDetector)).filter((f) => f.kind === 'loose' || f.kind === 'tight' || f.kind === 'overlap');
    boxes += m.photo.boxes.length;
    flagged += new Set(findings.map((f) => f.boxIndex)).size;
  }
  return { rate: boxes ? flagged / boxes : 0, boxes };
}

/** One side per box (cycling over the four), moved by `p`: share found on that side in that direction. */
function detection(set: readonly Measured[], p: Perturbation, useDetector: boolean): { rate: number; beyondTolerance: number; meanErrorPx: number } {
  let tries = 0;
  let found = 0;
  let beyond = 0;
  let errorSum = 0;
  let k = 0;
  for (const m of set) {
    for (const box of m.photo.boxes) {
      const side = BOX_SIDES[k++ % 4] ?? 'left';
      const px = perturbationPx(box, side, p);
      const moved = moveSide(box, side, px, m.photo.width, m.photo.height);
      const actual = side === 'left' ? box.x1 - moved.x1 : side === 'top' ? box.y1 - moved.y1 : side === 'right' ? moved.x2 - box.x2 : moved.y2 - box.y2;
      if (Math.abs(actual) < Math.abs(px) - 0.5) continue; // clamped at the border: not this case
      tries++;
      if (Math.abs(actual) > flagThresholdPx(box, side)) beyond++;
      const det = useDetector ? matchDetection(moved, m.photo.detections ?? []) : undefined;
      const fit = fitBox(moved, measureBoxEdges(m.image, moved), det);
      const hit = (actual > 0 ? fit.loose : fit.tight).find((s) => s.side === side);
      if (hit) {
        found++;
        errorSum += Math.abs(hit.px - actual);
      }
    }
  }
  return { rate: tries ? found / tries : 0, beyondTolerance: tries ? beyond / tries : 0, meanErrorPx: found ? errorSum / found : 0 };
}

/** Runs the shipped base detector on `set` (640×480 synthetic photos), storing its boxes; false without a model. */
export async function attachDetections(set: readonly ExactPhoto[]): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
  try {
    const config = loadConfig({ DATA_DIR: dir });
    const exam = loadExamConfigFile('config/exam.yaml');
    const model = await ensureBaseModel(config, exam, createLogger({ name: 'bench', level: 'silent' }));
    if (!model) return false;
    const detector = await loadDetector(model);
    try {
      for (const p of set) {
        const { data, info } = await sharp(p.input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const dets = await detector.detect({ data, width: info.width, height: info.height, channels: 3 });
        p.detections = dets.map((d) => ({ classId: d.classId, score: d.score, ...d.box }));
      }
    } finally {
      await detector.close();
    }
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(out: Metric[], prefix: string, set: readonly Measured[], perturbations: readonly Perturbation[], useDetector: boolean): void {
  const fa = falseAlarms(set, useDetector);
  out.push(metric(`${prefix}: false alarms on exact boxes (${fa.boxes} boxes)`, 100 * fa.rate, '% of boxes', 2));
  for (const p of perturbations) {
    const d = detection(set, p, useDetector);
    out.push(metric(`${prefix}: one side ${p.label} found`, 100 * d.rate, '%'));
    out.push(metric(`${prefix}: one side ${p.label} beyond flag threshold`, 100 * d.beyondTolerance, '%'));
    out.push(metric(`${prefix}: one side ${p.label} mean |error| when found`, d.meanErrorPx, 'px'));
  }
}

export const bench: Bench = {
  name: 'check',
  description: '/check precision: false alarms on exact boxes, detection of loose/tight sides, time on 100 photos',
  async run(): Promise<Metric[]> {
    const out: Metric[] = [];
    const synth = await synthPhotos(N, 21);
    const hasDetector = await attachDetections(synth);

    const t0 = performance.now();
    const checkInputs: CheckPhoto[] = [];
    const measured: Measured[] = [];
    for (const [i, p] of synth.entries()) {
      const image = await decodeForEdges(p.input);
      measured.push({ photo: p, image });
      checkInputs.push({ ...asCheckPhoto({ photo: p, image }, p.boxes.map((b) => measureBoxEdges(image, b)), true), id: i + 1 });
    }
    runCheck({ exam: loadExamConfigFile('config/exam.yaml'), photos: checkInputs });
    out.push(metric(`/check on ${N} photos 640×480 (decode + edges + findings)`, performance.now() - t0, 'ms'));

    report(out, 'synth, edges', measured, SYNTH_PERTURBATIONS, false);
    if (hasDetector) report(out, 'synth, edges+detector', measured, SYNTH_PERTURBATIONS, true);

    const real: Measured[] = [];
    for (const p of realGaugePhotos()) real.push({ photo: p, image: await decodeForEdges(p.input) });
    if (real.length > 0) report(out, 'real-gauges g058+, edges', real, REAL_PERTURBATIONS, false);
    return out;
  },
};
