import { fitBox, matchDetection, type BoxSide, type CheckDetection } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import { decodeForEdges, measureBoxEdges } from '../../vision/index.js';

/** A Snap / 贴合 press on a `/check` loose-box finding. */
export interface SnapFix {
  photoId: number;
  /** The confirmed label version the finding was about. */
  version: number;
  userId: number;
}

/**
 * Moves each loose side of the photo's confirmed boxes in by what the check measures
 * (the same edges and detector proposal as its finding, so what the list said is what
 * is fixed), saves that as the contestant's label and confirms it. Tight sides and
 * sides without clear evidence stay. Does nothing (undefined) when the photo is not the
 * station's, or its confirmed label is no longer `version` (an older button).
 */
export async function applySnapFix(store: Store, stationNo: string, fix: SnapFix): Promise<{ boxes: number; version: number } | undefined> {
  const photo = store.photos.getForStation(stationNo, fix.photoId);
  if (!photo || photo.labelVersion !== fix.version || !photo.imagePath) return undefined;
  const boxes = store.labels.confirmed(photo.id);
  if (!boxes || boxes.length === 0) return undefined;
  const detections: CheckDetection[] = (store.labels.latestOfKind(photo.id, 'proposal')?.boxes ?? []).map((b) => ({
    classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, score: b.score ?? 1,
  }));
  const image = await decodeForEdges(photo.imagePath);
  let moved = 0;
  const next = boxes.map((b) => {
    const fit = fitBox(b, measureBoxEdges(image, b), matchDetection(b, detections));
    if (fit.loose.length === 0) return b;
    moved++;
    const out = { ...b };
    for (const s of fit.loose) moveIn(out, s.side, s.px);
    return out;
  });
  if (moved === 0) return undefined;
  const version = store.labels.addVersion(photo.id, {
    kind: 'label',
    author: fix.userId,
    boxes: next.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, source: 'human' as const })),
  });
  store.labels.confirm(photo.id, version);
  return { boxes: moved, version };
}

function moveIn(b: { x1: number; y1: number; x2: number; y2: number }, side: BoxSide, px: number): void {
  if (side === 'left') b.x1 += px;
  else if (side === 'top') b.y1 += px;
  else if (side === 'right') b.x2 -= px;
  else b.y2 -= px;
}
