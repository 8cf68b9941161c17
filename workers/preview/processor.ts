import { isTelegramError, unlessBenign, type PreviewJob } from '../../core/index.js';
import type { WorkerDeps } from '../processors.js';
import { photoMessage } from './render.js';

/**
 * Re-renders a photo's preview after its boxes changed (a class changed, a box deleted,
 * a save in the editor) and replaces the image of the chat message in place
 * (`edit`), or sends the photo as a new message (`send`, used by /label).
 */
export async function previewPhoto(job: PreviewJob, deps: WorkerDeps): Promise<{ kind: string }> {
  const photo = deps.store.photos.getForStation(job.stationNo, job.photoId);
  if (!photo) return { kind: 'missing' };
  const m = await photoMessage(deps, photo, job.lang, job.userId);
  if (job.mode === 'edit' && photo.previewMessageId) {
    if (m.jpeg) {
      await unlessBenign(
        deps.telegram.editMessageMedia(job.chatId, photo.previewMessageId, undefined, { type: 'photo', media: { source: m.jpeg }, caption: m.caption, parse_mode: 'HTML' }, { reply_markup: m.keyboard }),
        (err) => isTelegramError(err, 400, /message is not modified/),
      );
    }
    return { kind: 'edited' };
  }
  const sent = m.jpeg
    ? await deps.telegram.sendPhoto(job.chatId, { source: m.jpeg }, { caption: m.caption, parse_mode: 'HTML', reply_markup: m.keyboard })
    : await deps.telegram.sendMessage(job.chatId, m.caption, { parse_mode: 'HTML', reply_markup: m.keyboard });
  deps.store.photos.setPreviewMessageId(photo.id, sent.message_id);
  return { kind: 'sent' };
}
