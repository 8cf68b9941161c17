/**
 * `runCheck`: the list of what a judge would fail, from the station's data.
 */
import { area, intersectionArea, iou, type Box } from '../metrics/index.js';
import { capturePlan, comboClassIds, type ComboKey } from '../plan.js';
import { fitBox, matchDetection } from './fit.js';
import {
  CONFIRMED_STATUSES,
  NESTED_FRACTION,
  OUT_OF_IMAGE_PX,
  OVERLAP_IOU,
  QUOTA_STATUSES,
  TINY_SIDE_PX,
} from './thresholds.js';
import { FINDING_KINDS, type CheckInput, type CheckPhoto, type Finding } from './types.js';

/**
 * Runs every check. Findings come sorted: failures first, then by kind in
 * {@link FINDING_KINDS} order, then by photo id and box index, so the list is stable
 * while the contestant fixes things one by one.
 */
export function runCheck(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  const photos = input.photos.filter((p) => p.status !== 'rejected');
  const counts = new Map<ComboKey, number>();
  for (const p of photos) if (QUOTA_STATUSES.includes(p.status)) counts.set(p.combo, (counts.get(p.combo) ?? 0) + 1);
  for (const item of capturePlan(input.exam)) {
    const captured = counts.get(item.combo) ?? 0;
    if (captured < item.quota) {
      out.push({
        kind: 'short-quota',
        severity: 'fail',
        photoId: null,
        detail: { combo: item.combo, quota: item.quota, captured, missing: item.quota - captured },
      });
    }
  }
  for (const p of photos) out.push(...checkPhoto(p));
  const rank = (f: Finding): number => FINDING_KINDS.indexOf(f.kind);
  return out.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'fail' ? -1 : 1) ||
      rank(a) - rank(b) ||
      (a.photoId ?? -1) - (b.photoId ?? -1) ||
      (a.boxIndex ?? -1) - (b.boxIndex ?? -1),
  );
}

/** The findings of one photo (everything but quotas). */
export function checkPhoto(p: CheckPhoto): Finding[] {
  const out: Finding[] = [];
  const photoId = p.id;
  if (!CONFIRMED_STATUSES.includes(p.status)) {
    out.push({ kind: 'unconfirmed', severity: 'fail', photoId, detail: { status: p.status } });
  }
  const comboIds = comboClassIds(p.combo);
  const isUsable = p.boxes.map(() => true);
  p.boxes.forEach((b, boxIndex) => {
    const width = b.x2 - b.x1;
    const height = b.y2 - b.y1;
    if (![b.x1, b.y1, b.x2, b.y2].every(Number.isFinite) || !(width > 0) || !(height > 0)) {
      out.push({ kind: 'degenerate', severity: 'fail', photoId, boxIndex, detail: { width, height } });
      isUsable[boxIndex] = false;
      return;
    }
    if (Math.min(width, height) < TINY_SIDE_PX) {
      out.push({ kind: 'tiny', severity: 'fail', photoId, boxIndex, detail: { width, height, minSidePx: TINY_SIDE_PX } });
      isUsable[boxIndex] = false;
    }
    if (p.width !== null && p.height !== null) {
      const beyondPx = Math.max(-b.x1, -b.y1, b.x2 - p.width, b.y2 - p.height);
      if (beyondPx > OUT_OF_IMAGE_PX) {
        out.push({
          kind: 'out-of-image',
          severity: 'fail',
          photoId,
          boxIndex,
          detail: { beyondPx: Math.round(beyondPx * 10) / 10, imageWidth: p.width, imageHeight: p.height },
        });
      }
    }
    if (!comboIds.includes(b.classId)) {
      out.push({ kind: 'wrong-class', severity: 'fail', photoId, boxIndex, detail: { classId: b.classId, combo: p.combo } });
    }
  });

  // One meter per class per rig photo (the plan's combos hold distinct classes).
  const seen = new Map<number, number>();
  p.boxes.forEach((b, boxIndex) => {
    if (!isUsable[boxIndex]) return;
    seen.set(b.classId, (seen.get(b.classId) ?? 0) + 1);
    const count = p.boxes.filter((o, i) => isUsable[i] && o.classId === b.classId).length;
    if (comboIds.includes(b.classId) && (seen.get(b.classId) ?? 0) > 1) {
      out.push({ kind: 'extra-box', severity: 'fail', photoId, boxIndex, detail: { classId: b.classId, count } });
    }
  });
  for (const classId of comboIds) {
    if (!seen.has(classId)) out.push({ kind: 'missed-class', severity: 'fail', photoId, detail: { classId } });
  }

  p.boxes.forEach((b, j) => {
    if (!isUsable[j]) return;
    for (let i = 0; i < j; i++) {
      const a = p.boxes[i];
      if (!a || !isUsable[i]) continue;
      const overlap = iou(a, b);
      const isSameClass = a.classId === b.classId;
      if (overlap >= OVERLAP_IOU || (isSameClass && nestedFraction(a, b) >= NESTED_FRACTION)) {
        out.push({
          kind: 'overlap',
          severity: 'fail',
          photoId,
          boxIndex: j,
          detail: { otherIndex: i, iou: Math.round(overlap * 1000) / 1000, isSameClass },
        });
        break;
      }
    }
  });

  p.boxes.forEach((b, boxIndex) => {
    const edges = p.edges?.[boxIndex];
    if (!isUsable[boxIndex] || !edges) return;
    const fit = fitBox(b, edges, matchDetection(b, p.detections ?? []));
    const isDetectorAgreeing = fit.isDetectorAgreeing;
    if (fit.loose.length > 0) {
      out.push({ kind: 'loose', severity: 'fail', photoId, boxIndex, detail: { sides: fit.loose, isDetectorAgreeing } });
    }
    if (fit.tight.length > 0) {
      out.push({ kind: 'tight', severity: 'fail', photoId, boxIndex, detail: { sides: fit.tight, isDetectorAgreeing } });
    }
  });
  return out;
}

/** Intersection over the smaller box's area, in [0, 1]. */
function nestedFraction(a: Box, b: Box): number {
  const smaller = Math.min(area(a), area(b));
  return smaller > 0 ? intersectionArea(a, b) / smaller : 0;
}
