import { trainParamsSchema } from '../../core/index.js';
import type { Flow } from '../deps.js';
import { startRun } from './train.js';

/**
 * The Retry buttons a worker sends when a job failed for good: `rp:<photo>` puts a photo
 * whose processing failed back to `received` and queues it again; `rt:<run>` starts a
 * new run with the failed run's parameters (the one-active-run rule still holds). Both
 * check the pressing user's station; a second press finds nothing to retry.
 */
export const retryFlow: Flow = {
  name: 'retry',
  register(_bot, deps, actions) {
    actions.set('rp', async (ctx, [arg]) => {
      const stationNo = ctx.account?.stationNo;
      const id = Number(arg);
      const photo = stationNo && Number.isInteger(id) ? deps.store.photos.getForStation(stationNo, id) : undefined;
      if (!stationNo || !photo || !ctx.chat) {
        await ctx.answerCbQuery(ctx.tr(!stationNo ? 'err.notRegistered' : deps.store.photos.get(id) ? 'err.forbidden' : 'err.stale'));
        return;
      }
      const again = deps.store.photos.retryFailed(photo.id);
      if (!again) {
        await ctx.answerCbQuery(ctx.tr('retry.notFailed', { id: photo.id }));
        return;
      }
      await ctx.answerCbQuery();
      await ctx.editMessageReplyMarkup(undefined).catch((err: unknown) => deps.log.warn({ err }, 'could not remove the Retry button'));
      const payload = { stationNo, photoId: photo.id, chatId: ctx.chat.id, lang: ctx.lang, ...(photo.mediaGroupId ? { mediaGroupId: photo.mediaGroupId } : {}) };
      // The failed copy of this job still holds its id: requeue frees it.
      await deps.jobs.requeue('ingest', payload);
      await ctx.reply(ctx.tr('retry.queued', { id: photo.id }));
    });

    actions.set('rt', async (ctx, [runId]) => {
      const stationNo = ctx.account?.stationNo;
      const run = stationNo && runId ? deps.store.runs.getForStation(stationNo, runId) : undefined;
      if (!stationNo || !run) {
        await ctx.answerCbQuery(ctx.tr(!stationNo ? 'err.notRegistered' : runId && deps.store.runs.get(runId) ? 'err.forbidden' : 'err.stale'));
        return;
      }
      if (run.status !== 'failed' || run.kind !== 'train') {
        await ctx.answerCbQuery(ctx.tr('retry.runNotFailed', { run: run.id }));
        return;
      }
      await ctx.answerCbQuery();
      await ctx.editMessageReplyMarkup(undefined).catch((err: unknown) => deps.log.warn({ err }, 'could not remove the Retry button'));
      await startRun(ctx, deps, trainParamsSchema.parse(run.params), 'custom');
    });
  },
};
