/**
 * Axis-aligned box geometry in image pixels, plus non-maximum suppression.
 *
 * Coordinates are continuous pixel positions with the origin at the top-left
 * corner of the image: a box covering the whole `w × h` image is
 * `{ x1: 0, y1: 0, x2: w, y2: h }`. There is no `+1` pixel convention (as in
 * pycocotools and torchvision), so a box's width is simply `x2 - x1`.
 */

/**
 * Axis-aligned box, corners in pixels.
 *
 * Invariant for a well-formed box: `x2 > x1` and `y2 > y1`. The functions here
 * tolerate degenerate boxes (zero or negative extent) by treating them as
 * empty: area 0, IoU 0 with everything.
 */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** A scored, classed box as a detector emits it; `score` is a confidence in [0, 1]. */
export interface BoxDetection {
  readonly box: Box;
  readonly score: number;
  /** Index into the model's class list. */
  readonly classId: number;
}

/** Area in square pixels; 0 for a degenerate box. */
export function area(box: Box): number {
  return Math.max(0, box.x2 - box.x1) * Math.max(0, box.y2 - box.y1);
}

/** Area of the overlap of two boxes in square pixels; 0 when they do not overlap. */
export function intersectionArea(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  if (w <= 0) return 0;
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (h <= 0) return 0;
  return w * h;
}

/**
 * Intersection over union, in [0, 1]; symmetric.
 *
 * Computed as `inter / (area(a) + area(b) - inter)` in that order, the same
 * arithmetic as pycocotools' `bbIou`, so values on exact fractions such as 0.5
 * come out exact. Returns 0 when the union is empty (two degenerate boxes).
 */
export function iou(a: Box, b: Box): number {
  const inter = intersectionArea(a, b);
  if (inter === 0) return 0;
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Clips a box to the image `[0, width] × [0, height]` (pixels).
 *
 * Returns `null` when nothing of the box lies inside the image, so a returned
 * box always keeps the `x2 > x1`, `y2 > y1` invariant.
 */
export function clampBox(box: Box, width: number, height: number): Box | null {
  const x1 = clamp(box.x1, 0, width);
  const y1 = clamp(box.y1, 0, height);
  const x2 = clamp(box.x2, 0, width);
  const y2 = clamp(box.y2, 0, height);
  return x2 > x1 && y2 > y1 ? { x1, y1, x2, y2 } : null;
}

/**
 * Whether the box comes within `marginPx` pixels of any edge of a
 * `width × height` image (inclusive: a box exactly `marginPx` from an edge
 * touches it). With the default margin of 0 only boxes that reach or cross an
 * edge count. Useful to flag objects that are probably cut off by the frame.
 */
export function isTouchingBorder(box: Box, width: number, height: number, marginPx = 0): boolean {
  return (
    box.x1 <= marginPx ||
    box.y1 <= marginPx ||
    box.x2 >= width - marginPx ||
    box.y2 >= height - marginPx
  );
}

/**
 * Class-agnostic greedy non-maximum suppression.
 *
 * Visits detections by descending score (ties: earlier input first, a stable
 * sort) and drops every detection whose IoU with an already kept one is
 * strictly greater than `iouThreshold` (torchvision's `nms` convention).
 * Returns the kept detections, highest score first; the input is not
 * modified and extra fields on the items are preserved.
 */
export function nms<T extends BoxDetection>(detections: readonly T[], iouThreshold: number): T[] {
  return suppress(detections, iouThreshold, () => true);
}

/**
 * Per-class non-maximum suppression: like {@link nms}, but a detection only
 * suppresses others with the same `classId` (torchvision's `batched_nms`).
 * Returns all kept detections of all classes, highest score first.
 */
export function nmsPerClass<T extends BoxDetection>(
  detections: readonly T[],
  iouThreshold: number,
): T[] {
  return suppress(detections, iouThreshold, (a, b) => a.classId === b.classId);
}

function suppress<T extends BoxDetection>(
  detections: readonly T[],
  iouThreshold: number,
  canSuppress: (kept: T, candidate: T) => boolean,
): T[] {
  const kept: T[] = [];
  for (const candidate of sortByScoreDesc(detections)) {
    const isSuppressed = kept.some(
      (k) => canSuppress(k, candidate) && iou(k.box, candidate.box) > iouThreshold,
    );
    if (!isSuppressed) kept.push(candidate);
  }
  return kept;
}

/**
 * Stable sort by descending `score`: equal scores keep their input order.
 * Every ranking in this folder uses it, so results never depend on the JS
 * engine's sort and ties are broken by input index.
 */
export function sortByScoreDesc<T extends { readonly score: number }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.score - a.item.score || a.index - b.index)
    .map(({ item }) => item);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
