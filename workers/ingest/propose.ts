import { CORRECTION_DEFAULTS } from '../../core/index.js';
import type { Photo } from '../../store/index.js';
import { getDetector, type RawImage } from '../../vision/index.js';
import { assistModelFor } from '../models.js';
import { fetchStationModels } from '../blob-sync.js';
import type { WorkerDeps } from '../processors.js';
import { displayOf } from '../preview/render.js';
import { proposeBoxes } from '../proposals.js';

/**
 * Pre-labels an accepted photo: the station's assist model (else the base model)
 * proposes boxes (`workers/proposals.ts`), classes constrained by the photo's combo (or, when
 * the model is sure of a class outside it, by the combo it sees), stored as a `proposal`
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
  const history = deps.store.modelBoxes.pairs(photo.stationNo, model.id, CORRECTION_DEFAULTS.maxPairs);
  const { modelBoxes, boxes } = await proposeBoxes(detector, image, size, photo.combo, history);
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
