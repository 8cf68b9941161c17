import { comboClassIds, correctBoxes, CORRECTION_DEFAULTS, disagreeingCombo, learnCorrections, pairsOf, prelabel } from '../../core/index.js';
import type { Photo } from '../../store/index.js';
import { getDetector, snapProposals, type RawImage } from '../../vision/index.js';
import { assistModelFor } from '../models.js';
import { fetchStationModels } from '../blob-sync.js';
import type { WorkerDeps } from '../processors.js';
import { displayOf } from '../preview/render.js';

/**
 * Pre-labels an accepted photo: the station's assist model (else the base model)
 * proposes boxes, classes constrained by the photo's combo (or, when the model is sure of a class
 * outside it, by the combo it sees), stored as a `proposal`
 * label version. Does nothing when the photo already has a version or no model exists.
 */
export async function proposeLabels(deps: WorkerDeps, photo: Photo, display?: RawImage): Promise<boolean> {
  if (deps.store.labels.latest(photo.id) || !photo.imagePath || !photo.width || !photo.height) return false;
  await fetchStationModels(deps, photo.stationNo);
  const model = assistModelFor(deps.store, photo.stationNo, deps.baseModel);
  if (!model) return false;
  const detector = await getDetector(model.path);
  const image = display ?? (await displayOf(photo.imagePath));
  const size = { width: photo.width, height: photo.height };
  const detections = await detector.detect(image, { sourceSize: size });
  // The model sure of a class outside the combo keeps its own classes: the message then asks
  // whether the photo belongs to that combo instead of relabelling the boxes silently.
  const combo = comboClassIds(photo.combo);
  const seen = disagreeingCombo(detections, combo);
  const result = prelabel(detections, seen ? [...combo, ...comboClassIds(seen)] : combo, size);
  const modelBoxes = result.boxes.map((b) => ({ ...b.box, classId: b.classId, score: b.score }));
  // The station's own correction, learnt from what this model proposed on the photos the
  // contestant confirmed (core/box-correction.ts; adopted per class only when it wins).
  const history = deps.store.modelBoxes.pairs(photo.stationNo, model.id, CORRECTION_DEFAULTS.maxPairs);
  const corrections = learnCorrections(history.flatMap((h) => pairsOf(h.proposed, h.confirmed)));
  const corrected = correctBoxes(modelBoxes, corrections, size.width, size.height);
  // Sides with strong edge evidence snap to the object (vision/image/snap.ts: raises the
  // share of proposed boxes at IoU ≥ 0.9 on the snap bench).
  const boxes = await snapProposals(image, size, corrected);
  deps.store.transaction(() => {
    deps.store.modelBoxes.record(photo.id, model.id, modelBoxes);
    deps.store.labels.addVersion(photo.id, {
      kind: 'proposal',
      author: 'model',
      modelId: model.id,
      boxes: boxes.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, source: 'model' as const, score: b.score })),
    });
  });
  return true;
}
