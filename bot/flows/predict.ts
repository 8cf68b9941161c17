import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { requireStation } from '../guards.js';

/**
 * `/predict`: the next photo (or image file) the user sends is run through the station's
 * deployed model and comes back annotated — it is NOT captured into the dataset. One photo
 * per `/predict` (the wizard step is cleared as the photo arrives, and `/capture` clears it
 * too), so a contestant cannot lose later captures into predictions by forgetting the mode.
 */

/** Wizard step while `/predict` waits for its photo. */
export const PREDICT_WAIT = 'predict-wait';

/** Leaves the predict step (e.g. on /capture). */
export function clearPredictWait(ctx: BotContext, deps: BotDeps): void {
  if (ctx.account?.wizard?.step !== PREDICT_WAIT) return;
  deps.store.users.setWizard(ctx.account.userId, null);
  ctx.account = { ...ctx.account, wizard: null };
}

/**
 * A photo or document sent after `/predict`: queued as a `predict` job with its Telegram
 * file id (the worker downloads, decodes and draws). Returns false when the user is not
 * in the predict step, so capture handles the message as usual.
 */
export async function routePredictPhoto(ctx: BotContext, deps: BotDeps): Promise<boolean> {
  const msg = ctx.message;
  if (!msg || !ctx.account || ctx.account.wizard?.step !== PREDICT_WAIT || !ctx.chat) return false;
  const stationNo = await requireStation(ctx);
  if (!stationNo) return true;
  let fileId: string | undefined;
  if ('photo' in msg && msg.photo.length > 0) fileId = msg.photo[msg.photo.length - 1]?.file_id;
  else if ('document' in msg && (msg.document.mime_type ?? '').startsWith('image/')) fileId = msg.document.file_id;
  if (!fileId) {
    await ctx.reply(ctx.tr('predict.notPhoto'));
    return true;
  }
  clearPredictWait(ctx, deps);
  const run = deps.store.runs.deployed(stationNo);
  if (!run) {
    await ctx.reply(ctx.tr('deploy.nothing'));
    return true;
  }
  await deps.jobs.enqueue('predict', { stationNo, runId: run.id, chatId: ctx.chat.id, lang: ctx.lang, source: 'upload', fileId, requestId: msg.message_id });
  await ctx.reply(ctx.tr('predict.queued', { run: run.id }));
  return true;
}

export const predictFlow: Flow = {
  name: 'predict',
  register(bot, deps) {
    bot.command('predict', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.account) return;
      const run = deps.store.runs.deployed(stationNo);
      if (!run) {
        await ctx.reply(ctx.tr('deploy.nothing'));
        return;
      }
      const wizard = { step: PREDICT_WAIT, draft: { stationNo } };
      deps.store.users.setWizard(ctx.account.userId, wizard);
      ctx.account = { ...ctx.account, wizard };
      await ctx.reply(ctx.tr('predict.prompt', { run: run.id }), { parse_mode: 'HTML' });
    });
  },
};
