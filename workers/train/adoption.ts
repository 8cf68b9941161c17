import { assistWins, CORRECTION_DEFAULTS, proposalQuality, type ProposalQuality } from '../../core/index.js';
import { getDetector } from '../../vision/index.js';
import { displayOf } from '../preview/render.js';
import type { WorkerDeps } from '../processors.js';
import { proposeBoxes } from '../proposals.js';
import { assistModelFor } from '../models.js';
import { evaluateOnnx } from './evaluate.js';
import type { ManifestImage } from './manifest.js';

/** An assist run's adoption verdict, kept in the run's metrics. */
export interface AssistVerdict {
  adopted: boolean;
  /** The new model's proposals on the held-out photos. */
  proposals: ProposalQuality;
  /** The current pre-labeler's on the same photos, and its val mAP@0.5:0.95; null when there was none. */
  incumbentProposals: ProposalQuality | null;
  incumbentMap50_95: number | null;
}

/**
 * Judges a new assist model against the station's current pre-labeler on the held-out photos
 * `judged` (core `assistWins`: more photos one tap through the product's proposal path, else a
 * higher val mAP@0.5:0.95). With no current pre-labeler it is adopted.
 */
export async function judgeAssist(
  deps: Pick<WorkerDeps, 'store' | 'exam' | 'baseModel'>,
  stationNo: string,
  candidate: { path: string; id: string },
  candidateMap50_95: number,
  judged: readonly ManifestImage[],
): Promise<AssistVerdict> {
  const current = assistModelFor(deps.store, stationNo, deps.baseModel);
  const proposals = await heldOutProposals(deps, stationNo, candidate, judged);
  if (!current) return { adopted: true, proposals, incumbentProposals: null, incumbentMap50_95: null };
  const incumbent = { quality: await heldOutProposals(deps, stationNo, current, judged), map50_95: (await evaluateOnnx(current.path, judged, deps.exam)).evaluation.map50_95 ?? 0 };
  const adopted = assistWins({ quality: proposals, map50_95: candidateMap50_95 }, incumbent);
  return { adopted, proposals, incumbentProposals: incumbent.quality, incumbentMap50_95: incumbent.map50_95 };
}

/**
 * How a model's proposals do on the held-out photos of an assist run, as the contestant would
 * meet them: each photo goes through the product's own proposal path (`workers/proposals.ts`),
 * with the station's box correction learnt from what `model.id` proposed on the station's other
 * confirmed photos (a new model has none yet). The adoption rule is `assistWins` (core).
 */
export async function heldOutProposals(
  deps: Pick<WorkerDeps, 'store'>,
  stationNo: string,
  model: { path: string; id: string },
  val: readonly ManifestImage[],
): Promise<ProposalQuality> {
  const held = new Set(val.map((v) => v.photoId));
  // never learn the correction from the photos it is judged on
  const history = deps.store.modelBoxes
    .pairs(stationNo, model.id, CORRECTION_DEFAULTS.maxPairs + held.size)
    .filter((p) => !held.has(p.photoId))
    .slice(0, CORRECTION_DEFAULTS.maxPairs);
  const detector = await getDetector(model.path);
  const photos = [];
  for (const im of val) {
    const combo = deps.store.photos.get(im.photoId)?.combo ?? [...new Set(im.boxes.map((b) => b.classId))].sort((a, b) => a - b).join('+');
    const { boxes } = await proposeBoxes(detector, await displayOf(im.path), { width: im.width, height: im.height }, combo, history);
    photos.push({ proposal: boxes, truth: im.boxes });
  }
  return proposalQuality(photos);
}
