import type { Photo } from '../../store/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/**
 * Asks a worker to send `photo`'s pre-label preview to the presser's chat (the bot never
 * decodes an image). `requestId` is the message that asked for it (a `/label` command, the
 * album's "next photo" line), so asking again sends again while a retried job stays one.
 */
export async function sendPreview(ctx: BotContext, deps: BotDeps, photo: Photo, requestId: number): Promise<void> {
  if (!ctx.chat || !ctx.from) return;
  await deps.jobs.enqueue('preview', {
    stationNo: photo.stationNo,
    photoId: photo.id,
    chatId: ctx.chat.id,
    lang: ctx.lang,
    mode: 'send',
    userId: ctx.from.id,
    version: deps.store.labels.latest(photo.id)?.version ?? 0,
    requestId,
  });
}
