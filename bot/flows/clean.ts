import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Markup } from 'telegraf';
import { bestEffort, comboLabel, encodeCallback, parseRejectReason, reasonName, REJECT_REASONS, unlessBenign } from '../../core/index.js';
import { ACCEPTED_STATUSES, moveFileSync, stationPaths, type Photo } from '../../store/index.js';
import type { BotContext } from '../context.js';
import { requireStation } from '../guards.js';
import type { BotDeps, Flow } from '../deps.js';

/**
 * `/clean`: what cleaning found. Rejected photos are viewable and restorable, accepted
 * ones removable; counts and files follow (a rejected photo's image lives in
 * `rejected/`, an accepted one's in `images/`). Nothing is ever deleted.
 */

const PAGE = 8;

function summaryScreen(ctx: BotContext, deps: BotDeps, stationNo: string) {
  const s = deps.store.photos.summary(stationNo);
  const accepted = ACCEPTED_STATUSES.reduce((n, st) => n + s.byStatus[st], 0);
  const rejected = s.byStatus.rejected;
  const pending = s.byStatus.received;
  const lines = Object.entries(s.byRejectReason).flatMap(([r, n]) => {
    const reason = REJECT_REASONS.find((known) => known === r);
    return reason ? [ctx.tr('clean.reasonLine', { reason: reasonName(ctx.lang, reason), n })] : [];
  });
  const text = [
    ctx.tr('clean.title', { station: stationNo, accepted, rejected, pending: pending ? ctx.tr('clean.pending', { n: pending }) : '' }),
    ...lines,
  ].join('\n');
  const markup = Markup.inlineKeyboard([
    [Markup.button.callback(ctx.tr('clean.btnRejected', { n: rejected }), encodeCallback('cl', 'r', 0))],
    [Markup.button.callback(ctx.tr('clean.btnAccepted', { n: accepted }), encodeCallback('cl', 'a', 0))],
  ]);
  return { text, markup };
}

function listScreen(ctx: BotContext, deps: BotDeps, stationNo: string, filter: 'r' | 'a', page: number) {
  const status = filter === 'r' ? (['rejected'] as const) : ACCEPTED_STATUSES;
  const all = deps.store.photos.list(stationNo, { status });
  const pages = Math.max(1, Math.ceil(all.length / PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const rows = all.slice(p * PAGE, (p + 1) * PAGE).map((ph) => [
    Markup.button.callback(
      filter === 'r'
        ? `#${ph.id} ${reasonName(ctx.lang, parseRejectReason(ph.rejectReason))}`
        : `#${ph.id} ${comboLabel(ph.combo, deps.exam.classes, ctx.lang)}`,
      encodeCallback('cv', ph.id),
    ),
  ]);
  const nav = [];
  if (p > 0) nav.push(Markup.button.callback(ctx.tr('clean.prev'), encodeCallback('cl', filter, p - 1)));
  if (p < pages - 1) nav.push(Markup.button.callback(ctx.tr('clean.next'), encodeCallback('cl', filter, p + 1)));
  if (nav.length) rows.push(nav);
  const key = filter === 'r' ? 'clean.listRejected' : 'clean.listAccepted';
  const text = all.length ? ctx.tr(key, { page: p + 1, pages }) : ctx.tr('clean.empty');
  return { text, markup: Markup.inlineKeyboard(rows) };
}

/** The pressed photo, if it belongs to the presser's station; otherwise answers and returns undefined. */
async function ownPhoto(ctx: BotContext, deps: BotDeps, arg: string | undefined): Promise<Photo | undefined> {
  const stationNo = await requireStation(ctx);
  const id = Number(arg);
  if (!stationNo) return undefined;
  const photo = Number.isSafeInteger(id) ? deps.store.photos.getForStation(stationNo, id) : undefined;
  if (!photo) {
    await ctx.answerCbQuery(ctx.tr(deps.store.photos.get(id) ? 'err.forbidden' : 'err.stale'));
    return undefined;
  }
  return photo;
}

/** Moves the image file and the row together (one transaction); false when the photo was not in the expected state. */
export function restorePhoto(deps: BotDeps, photo: Photo): 'restored' | 'already' | 'no-image' {
  const paths = stationPaths(deps.store.dataDir, photo.stationNo);
  return deps.store.transaction(() => {
    const now = deps.store.photos.get(photo.id);
    if (now?.status !== 'rejected') return 'already';
    if (!now.imagePath || !existsSync(now.imagePath)) return 'no-image';
    const target = join(paths.images, `${photo.id}.jpg`);
    const r = deps.store.photos.restore(photo.id, { imagePath: target });
    if (r.kind !== 'restored') return 'no-image';
    moveFileSync(now.imagePath, target, { within: paths.root });
    return 'restored';
  });
}

export function removePhoto(deps: BotDeps, photo: Photo): 'removed' | 'already' {
  const paths = stationPaths(deps.store.dataDir, photo.stationNo);
  return deps.store.transaction(() => {
    const r = deps.store.photos.remove(photo.id);
    if (r.kind !== 'removed') return 'already';
    if (r.photo.imagePath && existsSync(r.photo.imagePath)) {
      moveFileSync(r.photo.imagePath, join(paths.rejected, `${photo.id}.jpg`), { within: paths.root });
    }
    return 'removed';
  });
}

export const cleanFlow: Flow = {
  name: 'clean',
  register(bot, deps, actions) {
    bot.command('clean', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const s = summaryScreen(ctx, deps, stationNo);
      await ctx.reply(s.text, { parse_mode: 'HTML', ...s.markup });
    });

    actions.set('cl', async (ctx, [filter, page]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      if ((filter !== 'r' && filter !== 'a') || !Number.isSafeInteger(Number(page))) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      const s = listScreen(ctx, deps, stationNo, filter, Number(page));
      await unlessBenign(ctx.editMessageText(s.text, { parse_mode: 'HTML', ...s.markup }));
    });

    actions.set('cv', async (ctx, [arg]) => {
      const photo = await ownPhoto(ctx, deps, arg);
      if (!photo) return;
      await ctx.answerCbQuery();
      const combo = comboLabel(photo.combo, deps.exam.classes, ctx.lang);
      const isRejected = photo.status === 'rejected';
      const caption = isRejected
        ? ctx.tr('clean.viewRejected', { id: photo.id, combo, reason: reasonName(ctx.lang, parseRejectReason(photo.rejectReason)) })
        : ctx.tr('clean.viewAccepted', { id: photo.id, combo, width: photo.width ?? 0, height: photo.height ?? 0 });
      const button = isRejected
        ? Markup.button.callback(ctx.tr('btn.restore'), encodeCallback('cr', photo.id))
        : Markup.button.callback(ctx.tr('btn.remove'), encodeCallback('cx', photo.id));
      const extra = { caption, parse_mode: 'HTML' as const, ...Markup.inlineKeyboard([button]) };
      if (photo.imagePath && existsSync(photo.imagePath)) await ctx.replyWithPhoto({ source: photo.imagePath }, extra);
      else await ctx.reply(caption, { parse_mode: 'HTML' });
    });

    actions.set('cr', async (ctx, [arg]) => {
      const photo = await ownPhoto(ctx, deps, arg);
      if (!photo) return;
      const r = restorePhoto(deps, photo);
      await ctx.answerCbQuery(ctx.tr(r === 'restored' ? 'clean.restored' : r === 'already' ? 'clean.already' : 'clean.notRestorable', { id: photo.id }));
      if (r === 'restored') await bestEffort(ctx.editMessageReplyMarkup(undefined), deps.log, 'removing spent buttons');
    });

    actions.set('cx', async (ctx, [arg]) => {
      const photo = await ownPhoto(ctx, deps, arg);
      if (!photo) return;
      const r = removePhoto(deps, photo);
      await ctx.answerCbQuery(ctx.tr(r === 'removed' ? 'clean.removed' : 'clean.already', { id: photo.id }));
      if (r === 'removed') await bestEffort(ctx.editMessageReplyMarkup(undefined), deps.log, 'removing spent buttons');
    });
  },
};
