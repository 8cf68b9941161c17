import type { BotContext } from '../context.js';
import type { Flow } from '../deps.js';
import { requireStation } from '../guards.js';

/**
 * `/check`: what a judge would fail, before the judge sees it. The handler only enqueues
 * (decoding photos to measure edges is slow); the worker sends the list, and its Refresh
 * and page buttons re-run the check and edit the same message. A photo's button sends
 * its pre-label preview, where it can be fixed inline or opened in the editor.
 */
/** A check job that re-runs `/check` and edits its list message in place (Refresh, page, Snap). */
function editCheck(ctx: BotContext, stationNo: string, messageId: number, page: number) {
  return { stationNo, chatId: ctx.chat?.id ?? 0, lang: ctx.lang, mode: 'edit' as const, messageId, page, requestId: ctx.update.update_id };
}

export const checkFlow: Flow = {
  name: 'check',
  register(bot, deps, actions) {
    bot.command('check', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      await deps.jobs.enqueue('check', { stationNo, chatId: ctx.chat.id, lang: ctx.lang, mode: 'send', page: 0, requestId: ctx.message.message_id });
      await ctx.reply(ctx.tr('check.queued'));
    });

    actions.set('ck', async (ctx, [pageArg]) => {
      const stationNo = await requireStation(ctx);
      const message = ctx.callbackQuery?.message;
      if (!stationNo || !ctx.chat || !message) return;
      await deps.jobs.enqueue('check', editCheck(ctx, stationNo, message.message_id, Number(pageArg)));
      await ctx.answerCbQuery();
    });

    // Snap / 贴合 on a loose-box finding: the worker moves the loose sides in (it decodes
    // the photo), saves that as the contestant's label and edits the list in place.
    actions.set('cs', async (ctx, [photoArg, versionArg, pageArg]) => {
      const stationNo = await requireStation(ctx);
      const message = ctx.callbackQuery?.message;
      if (!stationNo || !ctx.chat || !ctx.from || !message) return;
      const photo = deps.store.photos.getForStation(stationNo, Number(photoArg));
      if (!photo || photo.labelVersion !== Number(versionArg)) {
        await ctx.answerCbQuery(ctx.tr(deps.store.photos.get(Number(photoArg)) && !photo ? 'err.forbidden' : 'err.stale'));
        return;
      }
      await deps.jobs.enqueue('check', { ...editCheck(ctx, stationNo, message.message_id, Number(pageArg)), snap: { photoId: photo.id, version: photo.labelVersion, userId: ctx.from.id } });
      await ctx.answerCbQuery(ctx.tr('check.snapping', { id: photo.id }));
    });

    actions.set('co', async (ctx, [photoArg]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.chat || !ctx.from) return;
      const id = Number(photoArg);
      const photo = deps.store.photos.getForStation(stationNo, id);
      if (!photo || photo.status === 'rejected') {
        await ctx.answerCbQuery(ctx.tr(deps.store.photos.get(id) && !photo ? 'err.forbidden' : 'err.stale'));
        return;
      }
      await deps.jobs.enqueue('preview', {
        stationNo,
        photoId: photo.id,
        chatId: ctx.chat.id,
        lang: ctx.lang,
        mode: 'send',
        userId: ctx.from.id,
        version: deps.store.labels.latest(photo.id)?.version ?? 0,
        requestId: ctx.update.update_id,
      });
      await ctx.answerCbQuery(ctx.tr('check.opening', { id: photo.id }));
    });
  },
};
