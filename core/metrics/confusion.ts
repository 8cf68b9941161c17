/**
 * Class confusion matrix of a detector at one operating point.
 */
import { sortByScoreDesc } from './geometry.js';
import { bestUnmatched, type GroundTruthImage, type ImageDetection } from './matching.js';

/**
 * Confusion matrix of size `(C + 1) × (C + 1)` for `C = classIds.length`.
 *
 * Index `k < C` stands for `classIds[k]`; index `C` is background.
 * - rows: the ground-truth class, or background for a detection that matched
 *   no ground truth (a false positive);
 * - columns: the predicted class, or background for a ground truth that no
 *   detection matched (a miss).
 * `matrix[C][C]` is always 0.
 *
 * Built from detections with `score >= scoreThreshold`, visited by
 * descending score (ties by input index). Unlike AP matching, a detection
 * may match a ground truth of ANY class: it takes the unmatched ground truth
 * in its image with the highest IoU `>= iouThreshold` (ties to the later
 * box), and each ground truth is matched at most once. So a wrongly classed
 * but well placed box counts as a confusion between the two classes, and
 * the diagonal can differ from the per-class true positives, where a
 * better-scored wrong-class box cannot take a ground truth.
 *
 * Inputs are assumed validated (every class in `classIds`, every detection's
 * image in `groundTruth`).
 */
export function confusionMatrix(
  groundTruth: readonly GroundTruthImage[],
  detections: readonly ImageDetection[],
  classIds: readonly number[],
  scoreThreshold: number,
  iouThreshold: number,
): number[][] {
  const size = classIds.length + 1;
  const background = classIds.length;
  const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const indexOf = new Map(classIds.map((id, k) => [id, k]));
  const index = (classId: number): number => indexOf.get(classId) ?? background;
  const bump = (row: number, col: number): void => {
    const r = matrix[row] as number[];
    r[col] = (r[col] as number) + 1;
  };

  const gtByImage = new Map(groundTruth.map((image) => [image.imageId, image.boxes]));
  const taken = new Map(groundTruth.map((image) => [image.imageId, image.boxes.map(() => false)]));

  const kept = detections.filter((d) => d.score >= scoreThreshold);
  for (const det of sortByScoreDesc(kept)) {
    const gts = gtByImage.get(det.imageId) ?? [];
    const used = taken.get(det.imageId) ?? [];
    const m = bestUnmatched(det.box, gts.map((g) => g.box), used, iouThreshold);
    const matched = gts[m];
    if (matched === undefined) {
      bump(background, index(det.classId));
      continue;
    }
    used[m] = true;
    bump(index(matched.classId), index(det.classId));
  }

  for (const image of groundTruth) {
    const used = taken.get(image.imageId) ?? [];
    image.boxes.forEach((g, i) => {
      if (used[i] !== true) bump(index(g.classId), background);
    });
  }
  return matrix;
}
