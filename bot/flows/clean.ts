import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Markup } from 'telegraf';
import {
  assertNever,
  bestEffort,
  capturePlan,
  comboLabel,
  encodeCallback,
  parseRejectReason,
  reasonName,
  REJECT_REASONS,
  restoreCheck,
  truncate,
  unlessBenign,
} from '../../core/index.js';
import { ACCEPTED_STATUSES, moveFileSync, stationPaths, type Photo } from '../../store/index.js';
import type { InlineKeyboardButton } from 'telegraf/types';
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

function listScreen(ctx: BotContext, deps: BotDeps, stationNo: string, filter: 'r' | 'a', page: number, combo?: string) {
  const status = filter === 'r' ? (['rejected'] as const) : ACCEPTED_STATUSES;
  const all = deps.store.photos.list(stationNo, { status }).filter((ph) => combo === undefined || ph.combo === combo);
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
  const pageButton = (text: string, to: number) =>
    Markup.button.callback(text, combo === undefined ? encodeCallback('cl', filter, to) : encodeCallback('cc', filter, to, combo));
  if (p > 0) nav.push(pageButton(ctx.tr('clean.prev'), p - 1));
  if (p < pages - 1) nav.push(pageButton(ctx.tr('clean.next'), p + 1));
  if (nav.length) rows.push(nav);
  rows.push([Markup.button.callback(ctx.tr('clean.back'), encodeCallback('cl', 's', 0))]);
  const key = filter === 'r' ? 'clean.listRejected' : 'clean.listAccepted';
  const head = combo === undefined ? '' : `${comboLabel(combo, deps.exam.classes, ctx.lang)} · `;
  const text = all.length ? `${head}${ctx.tr(key, { page: p + 1, pages })}\n${ctx.tr('clean.jumpHint')}` : ctx.tr('clean.empty');
  return { text, markup: Markup.inlineKeyboard(rows) };
}

/** One photo of /clean: the image with its verdict, and Restore or Remove (none when it can never be restored). */
async function showPhoto(ctx: BotContext, deps: BotDeps, photo: Photo): Promise<void> {
  const combo = comboLabel(photo.combo, deps.exam.classes, ctx.lang);
  const isRejected = photo.status === 'rejected';
  // An exact copy of an accepted photo, or another station's photo, cannot be restored (see restoreCheck): say why, offer no button.
  const twin = isRejected && photo.sha256 ? deps.store.photos.findBySha(photo.stationNo, photo.sha256) : undefined;
  const refusal = twin ? 'clean.refused.exact-duplicate' : photo.rejectReason === 'other-station' ? 'clean.refused.other-station' : undefined;
  const caption = [
    isRejected
      ? ctx.tr('clean.viewRejected', { id: photo.id, combo, reason: reasonName(ctx.lang, parseRejectReason(photo.rejectReason)) })
      : ctx.tr('clean.viewAccepted', { id: photo.id, combo, width: photo.width ?? 0, height: photo.height ?? 0 }),
    ...(refusal ? [ctx.tr(refusal, { id: photo.id, combo, dup: twin?.id ?? '?' })] : []),
  ].join('\n');
  const button = isRejected
    ? Markup.button.callback(ctx.tr('btn.restore'), encodeCallback('cr', photo.id))
    : Markup.button.callback(ctx.tr('btn.remove'), encodeCallback('cx', photo.id));
  const extra = { caption, parse_mode: 'HTML' as const, ...(refusal ? {} : Markup.inlineKeyboard([button])) };
  if (photo.imagePath && existsSync(photo.imagePath)) await ctx.replyWithPhoto({ source: photo.imagePath }, extra);
  else await ctx.reply(caption, { parse_mode: 'HTML' });
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

/** What a restore did; `refused` carries why (the user is told, nothing changes). */
export type RestoreOutcome =
  | { kind: 'restored'; photo: Photo; warning?: 'near-duplicate' }
  | { kind: 'refused'; why: 'exact-duplicate' | 'other-station' | 'quota-full'; twinId?: number }
  | { kind: 'already' }
  | { kind: 'no-image' };

/**
 * Restores a rejected photo under the same rules as ingest, in one `BEGIN IMMEDIATE`
 * transaction: the quota and duplicate checks see every other photo as committed, so
 * nine quick restores into a combo at 2/10 stop at 10/10. The image moves back with the
 * row, and the preview message id is cleared so the pre-label job sends a fresh preview.
 */
export function restorePhoto(deps: BotDeps, photo: Photo): RestoreOutcome {
  const paths = stationPaths(deps.store.dataDir, photo.stationNo);
  const quota = capturePlan(deps.exam).find((p) => p.combo === photo.combo)?.quota ?? 0;
  return deps.store.transaction((): RestoreOutcome => {
    const now = deps.store.photos.get(photo.id);
    if (now?.status !== 'rejected') return { kind: 'already' };
    if (!now.imagePath || !existsSync(now.imagePath)) return { kind: 'no-image' };
    const twin = now.sha256 === null ? undefined : deps.store.photos.findBySha(now.stationNo, now.sha256);
    const check = restoreCheck({
      reason: now.rejectReason === null ? null : parseRejectReason(now.rejectReason),
      hasExactTwin: twin !== undefined,
      comboCount: deps.store.photos.countByCombo(now.stationNo).get(now.combo) ?? 0,
      comboQuota: quota,
    });
    if (check.kind === 'refused') return { ...check, ...(twin ? { twinId: twin.id } : {}) };
    const target = join(paths.images, `${photo.id}.jpg`);
    const r = deps.store.photos.restore(photo.id, { imagePath: target });
    if (r.kind !== 'restored') return { kind: 'no-image' };
    moveFileSync(now.imagePath, target, { within: paths.root });
    const restored = deps.store.photos.setPreviewMessageId(photo.id, null) ?? r.photo;
    return { kind: 'restored', photo: restored, ...(check.warning ? { warning: check.warning } : {}) };
  });
}

/** The inline keyboard of the pressed message, as Telegram sent it (empty when none). */
function pressedKeyboard(ctx: BotContext): InlineKeyboardButton[][] {
  const m = ctx.callbackQuery?.message;
  return m && 'reply_markup' in m && m.reply_markup ? m.reply_markup.inline_keyboard : [];
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
      const arg = ctx.payload.trim().replace(/^#/, '');
      if (arg) {
        const photo = /^\d{1,9}$/.test(arg) ? deps.store.photos.getForStation(stationNo, Number(arg)) : undefined;
        if (photo) await showPhoto(ctx, deps, photo);
        else await ctx.reply(ctx.tr('clean.noSuchPhoto', { id: truncate(arg, 12) }));
        return;
      }
      const s = summaryScreen(ctx, deps, stationNo);
      await ctx.reply(s.text, { parse_mode: 'HTML', ...s.markup });
    });

    /** `cl` (every combo) and `cc` (one combo): a list page, or `cl:s` back to the summary. */
    const showList = async (ctx: BotContext, filter: string | undefined, page: string | undefined, combo?: string): Promise<void> => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      if ((filter !== 'r' && filter !== 'a' && (filter !== 's' || combo !== undefined)) || !Number.isSafeInteger(Number(page))) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      const s = filter === 's' ? summaryScreen(ctx, deps, stationNo) : listScreen(ctx, deps, stationNo, filter, Number(page), combo);
      await unlessBenign(ctx.editMessageText(s.text, { parse_mode: 'HTML', ...s.markup }));
    };
    actions.set('cl', (ctx, [filter, page]) => showList(ctx, filter, page));
    actions.set('cc', (ctx, [filter, page, combo]) => showList(ctx, filter, page, combo ?? ''));

    actions.set('cv', async (ctx, [arg]) => {
      const photo = await ownPhoto(ctx, deps, arg);
      if (!photo) return;
      await ctx.answerCbQuery();
      await showPhoto(ctx, deps, photo);
    });

    actions.set('cr', async (ctx, [arg]) => {
      const photo = await ownPhoto(ctx, deps, arg);
      if (!photo) return;
      const r = restorePhoto(deps, photo);
      const combo = comboLabel(photo.combo, deps.exam.classes, ctx.lang);
      switch (r.kind) {
        case 'restored': {
          await ctx.answerCbQuery(ctx.tr('clean.restored', { id: photo.id }));
          // The verdict (or /clean view) no longer says "rejected": it says the photo was kept, and loses its button.
          const kept = ctx.tr('ingest.kept', { id: photo.id, reason: reasonName(ctx.lang, parseRejectReason(photo.rejectReason)) });
          const pressed = ctx.callbackQuery?.message;
          const others = pressedKeyboard(ctx).map((row) => row.filter((b) => !('callback_data' in b) || b.callback_data !== encodeCallback('cr', photo.id))).filter((row) => row.length);
          // An album summary keeps its text and its other buttons; a single verdict or /clean view says "kept".
          const edit = photo.mediaGroupId !== null && pressed && !('photo' in pressed) && others.length
            ? ctx.editMessageReplyMarkup({ inline_keyboard: others })
            : pressed && 'photo' in pressed
              ? ctx.editMessageCaption(kept, { parse_mode: 'HTML' })
              : ctx.editMessageText(kept, { parse_mode: 'HTML' });
          await bestEffort(edit, deps.log, 'marking the verdict kept');
          // The detector runs in a job, as for a new photo; requeue frees the id the photo's first (finished) ingest job holds.
          const chatId = ctx.chat?.id ?? photo.chatId;
          await deps.jobs.requeue('ingest', { stationNo: photo.stationNo, photoId: photo.id, chatId, lang: ctx.lang });
          await ctx.reply(ctx.tr(r.warning ? 'clean.restoredNear' : 'clean.restoredLabelling', { id: photo.id, dup: photo.duplicateOf ?? '?' }), { parse_mode: 'HTML' });
          return;
        }
        case 'refused': {
          const text = ctx.tr(`clean.refused.${r.why}`, { id: photo.id, combo, dup: r.twinId ?? photo.duplicateOf ?? '?' });
          await ctx.answerCbQuery(truncate(text, 190));
          await ctx.reply(text, {
            parse_mode: 'HTML',
            ...(r.why === 'quota-full'
              ? Markup.inlineKeyboard([[Markup.button.callback(ctx.tr('clean.btnReplace', { combo }), encodeCallback('cc', 'a', 0, photo.combo))]])
              : {}),
          });
          return;
        }
        case 'already':
          await ctx.answerCbQuery(ctx.tr('clean.already'));
          return;
        case 'no-image':
          await ctx.answerCbQuery(ctx.tr('clean.notRestorable'));
          return;
        default:
          assertNever(r);
      }
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
