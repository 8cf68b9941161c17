import type { Photo } from '../../store/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { requireStation } from '../guards.js';
import { sendPreview } from './send-preview.js';

/**
 * Labeling an album's photos in order (issue 11 point 13): the album summary's "Label these N
 * photos" sends the first preview; confirming one of them sends the next of the same album,
 * one preview at a time, until none is left.
 */

/** Accepted photos of `photo`'s album still waiting for confirmation, oldest first. */
function waitingOfAlbum(deps: BotDeps, photo: Photo): Photo[] {
  if (photo.mediaGroupId === null) return [];
  return deps.store.photos.list(photo.stationNo, { status: ['clean', 'prelabeled'] }).filter((p) => p.mediaGroupId === photo.mediaGroupId);
}

/**
 * Sends the next waiting photo of `photo`'s album (a line, then its preview from the preview
 * job). `after`: the album had a photo just confirmed, so "all done" is worth saying. Returns
 * whether anything was sent.
 */
export async function sendNextOfAlbum(ctx: BotContext, deps: BotDeps, photo: Photo, after: boolean): Promise<boolean> {
  if (!ctx.chat || !ctx.from || photo.mediaGroupId === null) return false;
  const waiting = waitingOfAlbum(deps, photo);
  const next = waiting[0];
  if (!next) {
    if (after) await ctx.reply(ctx.tr('label.albumDone'));
    return after;
  }
  const line = await ctx.reply(ctx.tr('label.albumNext', { n: waiting.length }));
  // Each press sends again: the line's own message id is part of the job id.
  await sendPreview(ctx, deps, next, line.message_id);
  return true;
}

export const albumFlow: Flow = {
  name: 'album',
  register(_bot, deps, actions) {
    actions.set('la', async (ctx, [arg]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const id = Number(arg);
      const photo = Number.isSafeInteger(id) ? deps.store.photos.getForStation(stationNo, id) : undefined;
      if (!photo) {
        await ctx.answerCbQuery(ctx.tr(deps.store.photos.get(id) ? 'err.forbidden' : 'err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      if (!(await sendNextOfAlbum(ctx, deps, photo, false))) await ctx.reply(ctx.tr('label.albumDone'));
    });
  },
};
