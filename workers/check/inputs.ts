import type { CheckBox, CheckDetection, CheckPhoto, EdgeEvidence } from '../../core/index.js';
import type { Photo, Store } from '../../store/index.js';
import { decodeForEdges, measureBoxEdges } from '../../vision/index.js';

/**
 * Edge evidence per (photo, label version): a label version never changes, so its
 * measurement holds until the contestant makes a new one. A Refresh after one fix
 * decodes only the photo that changed. Bounded: the oldest entries go first.
 */
const EDGE_CACHE_MAX = 2000;
const edgeCache = new Map<string, EdgeEvidence[]>();

function remember(key: string, value: EdgeEvidence[]): void {
  edgeCache.set(key, value);
  while (edgeCache.size > EDGE_CACHE_MAX) {
    const oldest = edgeCache.keys().next().value;
    if (oldest === undefined) break;
    edgeCache.delete(oldest);
  }
}

/** How many photos the last {@link loadCheckPhotos} call decoded (the cache's effect, for tests and logs). */
export interface LoadStats {
  decoded: number;
  cached: number;
}

const asBox = (b: { classId: number; x1: number; y1: number; x2: number; y2: number }): CheckBox => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });

/**
 * The station as the check sees it: every photo with its confirmed boxes (or its latest
 * version while unconfirmed), the detector's latest proposal, and edge evidence for the
 * confirmed boxes only (an unconfirmed photo is already a finding; decoding it would
 * only cost time).
 */
export async function loadCheckPhotos(store: Store, stationNo: string): Promise<{ photos: CheckPhoto[]; stats: LoadStats }> {
  const stats: LoadStats = { decoded: 0, cached: 0 };
  const photos: CheckPhoto[] = [];
  for (const photo of store.photos.list(stationNo)) {
    if (photo.status === 'rejected') continue;
    photos.push(await checkPhotoOf(store, photo, stats));
  }
  return { photos, stats };
}

async function checkPhotoOf(store: Store, photo: Photo, stats: LoadStats): Promise<CheckPhoto> {
  const isConfirmed = (photo.status === 'confirmed' || photo.status === 'reviewed') && photo.labelVersion !== null;
  const boxes = (isConfirmed ? store.labels.confirmed(photo.id) : store.labels.latest(photo.id)?.boxes) ?? [];
  const proposal = store.labels.latestOfKind(photo.id, 'proposal');
  const detections: CheckDetection[] | undefined = proposal?.boxes.map((b) => ({ ...asBox(b), score: b.score ?? 1 }));
  const base: CheckPhoto = {
    id: photo.id,
    combo: photo.combo,
    status: photo.status,
    width: photo.width,
    height: photo.height,
    boxes: boxes.map(asBox),
    ...(detections ? { detections } : {}),
  };
  if (!isConfirmed || boxes.length === 0 || !photo.imagePath) return base;
  // The data dir is part of the key: one process may serve several stores (tests), whose photo ids repeat.
  const key = `${store.dataDir}:${photo.id}:${photo.labelVersion}`;
  let edges = edgeCache.get(key);
  if (edges) stats.cached++;
  else {
    const image = await decodeForEdges(photo.imagePath);
    edges = boxes.map((b) => measureBoxEdges(image, b));
    remember(key, edges);
    stats.decoded++;
  }
  return { ...base, edges };
}
