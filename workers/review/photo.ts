import { className, t, type ReviewPhotoJob } from '../../core/index.js';
import { classPalette, renderPreview } from '../../vision/index.js';
import { displayOf } from '../preview/render.js';
import type { WorkerDeps } from '../processors.js';

/**
 * `/review`'s picture of one sampled photo: its confirmed boxes drawn and numbered in the
 * order the review lists them (box id order), with the class legend. The bot never decodes
 * images; this job does. A photo not in the review (a forged payload) sends nothing.
 */
export async function sendReviewPhoto(job: ReviewPhotoJob, deps: WorkerDeps): Promise<{ kind: string }> {
  const review = deps.store.reviews.get(job.reviewId);
  const photo = deps.store.photos.getForStation(job.stationNo, job.photoId);
  if (!review || review.stationNo !== job.stationNo || !photo?.imagePath) return { kind: 'missing' };
  const rows = deps.store.reviews.items(review.id).filter((i) => i.photoId === photo.id);
  if (rows.length === 0) return { kind: 'missing' };
  const items = rows.filter((i) => i.boxId !== null);
  const palette = classPalette(deps.exam.classes.length);
  const confirmed = new Map((deps.store.labels.confirmed(photo.id) ?? []).map((b) => [b.id, b]));
  const boxes = items.flatMap((item, i) => {
    const b = item.boxId === null ? undefined : confirmed.get(item.boxId);
    return b ? [{ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, label: String(i + 1), color: palette[b.classId] ?? '#ff0' }] : [];
  });
  const legend = deps.exam.classes.map((c) => ({ color: palette[c.id] ?? '#ff0', text: className(c, job.lang) }));
  const image = await displayOf(photo.imagePath);
  const jpeg = await renderPreview(image, boxes, { legend, sourceSize: { width: photo.width ?? image.width, height: photo.height ?? image.height } });
  await deps.telegram.sendPhoto(job.chatId, { source: jpeg }, { caption: t(job.lang, 'review.photoCaption', { review: review.id, id: photo.id }), parse_mode: 'HTML' });
  return { kind: 'sent' };
}
