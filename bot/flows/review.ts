import { randomInt } from 'node:crypto';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { drawSample, unlessBenign } from '../../core/index.js';
import type { Review, Verdict } from '../../store/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { isProctor, proctorStation, requireStation } from '../guards.js';
import { overviewView, pageView, reviewState, type ViewOptions } from './review-view.js';

/**
 * `/review`: the acceptance sample as the rules draw it — the exam's `sampleRate` of the
 * labeled photos, rounded up, at least one, with a recorded seed. Every verdict, ± missed
 * and page edits the same message; the bot never decodes an image (the photo with its
 * numbered boxes comes from a `review-photo` job). A sampled photo relabeled after the
 * draw makes the review stale: it takes no more verdicts and offers a new draw.
 */

const VERDICTS: Record<string, Exclude<Verdict, 'pending'>> = { q: 'qualified', l: 'loose', w: 'wrong-label' };

async function show(ctx: BotContext, view: { text: string; keyboard: InlineKeyboardMarkup }): Promise<void> {
  await unlessBenign<unknown>(ctx.editMessageText(view.text, { parse_mode: 'HTML', reply_markup: view.keyboard }));
}

/**
 * The review `arg` when the pressing user may act on it — their own station's, or any station's
 * for a proctor (issue 12: a proctor is the reviewer; the verdicts record the proctor's id) —,
 * else an answer saying why not.
 */
async function ownReview(ctx: BotContext, deps: BotDeps, arg: string | undefined): Promise<Review | undefined> {
  if (isProctor(ctx, deps.config)) {
    const review = deps.store.reviews.get(Number(arg));
    if (!review) await ctx.answerCbQuery(ctx.tr('err.stale'));
    return review;
  }
  const stationNo = await requireStation(ctx);
  if (!stationNo) return undefined;
  const review = deps.store.reviews.get(Number(arg));
  if (!review || review.stationNo !== stationNo) {
    await ctx.answerCbQuery(ctx.tr(review ? 'err.forbidden' : 'err.stale'));
    return undefined;
  }
  return review;
}

/** Sends sampled photo `photoId`'s picture; `requestId` 0 sends it once per review, a press's update id sends again. */
async function sendPicture(ctx: BotContext, deps: BotDeps, review: Review, photoId: number, requestId: number): Promise<void> {
  if (!ctx.chat) return;
  await deps.jobs
    .enqueue('review-photo', { stationNo: review.stationNo, reviewId: review.id, photoId, chatId: ctx.chat.id, lang: ctx.lang, requestId })
    .catch((err: unknown) => deps.log.warn({ err }, 'could not enqueue a review photo'));
}

const viewOpts = (ctx: BotContext, deps: BotDeps): ViewOptions => ({ asProctor: isProctor(ctx, deps.config) });

async function showPage(ctx: BotContext, deps: BotDeps, review: Review, page: number): Promise<void> {
  const s = reviewState(deps.store, review);
  await show(ctx, pageView(deps.store, deps.exam, s, page, ctx.lang, viewOpts(ctx, deps)));
  const photoId = s.photoIds[Math.min(Math.max(0, page), s.photoIds.length - 1)];
  if (photoId !== undefined) await sendPicture(ctx, deps, review, photoId, 0);
}

export const reviewFlow: Flow = {
  name: 'review',
  register(bot, deps, actions) {
    bot.command('review', async (ctx) => {
      let stationNo: string | undefined;
      let head = '';
      if (isProctor(ctx, deps.config)) {
        stationNo = await proctorStation(ctx, deps, '/review');
        if (!stationNo) return;
        head = `${ctx.tr('proctor.acting', { station: stationNo })}\n\n`;
      } else {
        stationNo = await requireStation(ctx);
        if (!stationNo) return;
      }
      if (deps.store.labels.listConfirmed(stationNo).length === 0) {
        await ctx.reply(head + ctx.tr('review.noLabeled'), { parse_mode: 'HTML' });
        return;
      }
      const view = overviewView(deps.store, deps.exam, stationNo, ctx.lang, viewOpts(ctx, deps));
      await ctx.reply(head + view.text, { parse_mode: 'HTML', reply_markup: view.keyboard });
    });

    const drawFor = async (ctx: BotContext, stationNo: string) => {
      const ids = deps.store.labels.listConfirmed(stationNo).map((c) => c.photo.id);
      if (ids.length === 0) {
        await ctx.answerCbQuery(ctx.tr('review.noLabeled'));
        return;
      }
      const current = deps.store.reviews.latest(stationNo);
      // A double tap on "Draw" must not draw twice: an open, fresh review is continued instead.
      if (current && current.finishedAt === null && !deps.store.reviews.isStale(current.id)) {
        await ctx.answerCbQuery();
        await showPage(ctx, deps, current, 0);
        return;
      }
      const seed = randomInt(1, 2 ** 31 - 1);
      const review = deps.store.reviews.create(stationNo, seed, deps.exam.sampleRate, drawSample(ids, deps.exam.sampleRate, seed));
      await ctx.answerCbQuery();
      await showPage(ctx, deps, review, 0);
    };

    actions.set('rd', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (stationNo) await drawFor(ctx, stationNo);
    });

    // A proctor's Draw names the station; anyone else pressing it is refused.
    actions.set('rds', async (ctx, [stationNo]) => {
      if (!isProctor(ctx, deps.config)) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      if (!stationNo || !deps.store.stations.get(stationNo)) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await drawFor(ctx, stationNo);
    });

    actions.set('rv', async (ctx, [reviewArg, pageArg]) => {
      const review = await ownReview(ctx, deps, reviewArg);
      if (!review) return;
      await ctx.answerCbQuery();
      await showPage(ctx, deps, review, Number(pageArg));
    });

    actions.set('ri', async (ctx, [reviewArg, photoArg]) => {
      const review = await ownReview(ctx, deps, reviewArg);
      if (!review) return;
      await ctx.answerCbQuery();
      await sendPicture(ctx, deps, review, Number(photoArg), ctx.update.update_id);
    });

    actions.set('rb', async (ctx, [reviewArg, boxArg, verdictArg, pageArg]) => {
      const review = await ownReview(ctx, deps, reviewArg);
      const verdict = VERDICTS[verdictArg ?? ''];
      if (!review) return;
      if (!verdict || deps.store.reviews.isStale(review.id)) {
        await ctx.answerCbQuery(ctx.tr(verdict ? 'review.stale' : 'err.stale').replace(/<[^>]+>/g, ''));
        await show(ctx, pageView(deps.store, deps.exam, reviewState(deps.store, review), Number(pageArg), ctx.lang, viewOpts(ctx, deps)));
        return;
      }
      const r = deps.store.reviews.setVerdict(review.id, Number(boxArg), verdict, ctx.from?.id);
      await ctx.answerCbQuery(r.kind === 'updated' ? undefined : ctx.tr(r.kind === 'finished' ? 'review.isFinished' : 'err.stale'));
      await show(ctx, pageView(deps.store, deps.exam, reviewState(deps.store, review), Number(pageArg), ctx.lang, viewOpts(ctx, deps)));
    });

    actions.set('rm', async (ctx, [reviewArg, photoArg, missedArg, pageArg]) => {
      const review = await ownReview(ctx, deps, reviewArg);
      if (!review) return;
      if (deps.store.reviews.isStale(review.id)) {
        await ctx.answerCbQuery(ctx.tr('review.stale').replace(/<[^>]+>/g, ''));
        await show(ctx, pageView(deps.store, deps.exam, reviewState(deps.store, review), Number(pageArg), ctx.lang, viewOpts(ctx, deps)));
        return;
      }
      const r = deps.store.reviews.setMissed(review.id, Number(photoArg), Number(missedArg), ctx.from?.id);
      await ctx.answerCbQuery(r.kind === 'updated' ? undefined : ctx.tr(r.kind === 'finished' ? 'review.isFinished' : 'err.stale'));
      await show(ctx, pageView(deps.store, deps.exam, reviewState(deps.store, review), Number(pageArg), ctx.lang, viewOpts(ctx, deps)));
    });

    actions.set('rf', async (ctx, [reviewArg]) => {
      const review = await ownReview(ctx, deps, reviewArg);
      if (!review) return;
      const s = reviewState(deps.store, review);
      if (s.isStale) {
        await ctx.answerCbQuery(ctx.tr('review.stale').replace(/<[^>]+>/g, ''));
        return;
      }
      if (s.tally.pending > 0) {
        await ctx.answerCbQuery(ctx.tr('review.needAll', { pending: s.tally.pending }));
        return;
      }
      deps.store.reviews.finish(review.id);
      await ctx.answerCbQuery(ctx.tr('review.finished'));
      await show(ctx, overviewView(deps.store, deps.exam, review.stationNo, ctx.lang, { ...viewOpts(ctx, deps), offerReport: true }));
    });

    // The finished review's summary offers the stage-one report: one press makes one report
    // (the job id is the summary message's, so a double tap adds nothing) and drops the button.
    actions.set('r1', async (ctx, [reviewArg]) => {
      const review = await ownReview(ctx, deps, reviewArg);
      if (!review || !ctx.chat) return;
      const messageId = ctx.callbackQuery?.message?.message_id;
      if (review.finishedAt === null || messageId === undefined) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await deps.jobs.enqueue('report', { stationNo: review.stationNo, kind: 'stage1', chatId: ctx.chat.id, lang: ctx.lang, requestId: messageId });
      await ctx.answerCbQuery();
      await show(ctx, overviewView(deps.store, deps.exam, review.stationNo, ctx.lang, viewOpts(ctx, deps)));
      await ctx.reply(ctx.tr('report.generating1', { station: review.stationNo }), { parse_mode: 'HTML' });
    });
  },
};
