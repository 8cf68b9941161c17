import {
  capturePlan,
  comboClassIds,
  comboLabel,
  editorButton,
  pickPrompt,
  proposalCaption,
  proposalKeyboard,
  unlessBenign,
  type ProposalView,
} from '../../core/index.js';
import { ensureLinkSecret, proposalView, type BoxInput, type Photo } from '../../store/index.js';
import type { BotContext } from '../context.js';
import { requireStation } from '../guards.js';
import type { BotDeps, Flow } from '../deps.js';
import { sendNextOfAlbum } from './album.js';
import { maybeStartAssist } from './assist.js';
import { removePhoto } from './clean.js';
import { sendPreview } from './send-preview.js';

/**
 * Confirming the model's boxes: one tap **Confirm** makes the proposal the label; per
 * box **class** / **delete** make a new label version (the worker redraws the preview);
 * **Discard** removes the photo; **Editor** opens the box editor. Every button names
 * the label version it acts on, so a double tap or an old message changes nothing.
 * `/label` sends the oldest photo still waiting for confirmation.
 */

interface Target {
  photo: Photo;
  version: number;
  boxes: BoxInput[];
}

async function target(ctx: BotContext, deps: BotDeps, args: string[]): Promise<Target | undefined> {
  const stationNo = await requireStation(ctx);
  const [photoArg, versionArg] = args;
  const photoId = Number(photoArg);
  if (!stationNo) return undefined;
  const photo = Number.isSafeInteger(photoId) ? deps.store.photos.getForStation(stationNo, photoId) : undefined;
  if (!photo) {
    await ctx.answerCbQuery(ctx.tr(deps.store.photos.get(photoId) ? 'err.forbidden' : 'err.stale'));
    return undefined;
  }
  const latest = deps.store.labels.latest(photo.id);
  if (versionArg !== undefined && (!latest || String(latest.version) !== versionArg)) {
    await ctx.answerCbQuery(ctx.tr('err.stale'));
    return undefined;
  }
  const boxes = (latest?.boxes ?? []).map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, source: b.source, score: b.score }));
  return { photo, version: latest?.version ?? 0, boxes };
}

function viewOf(ctx: BotContext, deps: BotDeps, photo: Photo): ProposalView {
  const secret = ensureLinkSecret(deps.store.dataDir, deps.config.LINK_SECRET);
  const editor = ctx.from ? editorButton(deps.config, secret, { stationNo: photo.stationNo, photoId: photo.id, userId: ctx.from.id }) : undefined;
  return proposalView(deps.store, deps.exam, photo, ctx.lang, editor);
}

async function redraw(ctx: BotContext, deps: BotDeps, photoId: number, pickingBox?: number): Promise<void> {
  const photo = deps.store.photos.get(photoId);
  if (!photo) return;
  const view = { ...viewOf(ctx, deps, photo), ...(pickingBox !== undefined ? { pickingBox } : {}) };
  const caption = proposalCaption(view, deps.exam.classes, ctx.lang) + (pickingBox !== undefined ? `\n\n${pickPrompt(ctx.lang, pickingBox)}` : '');
  const markup = proposalKeyboard(view, deps.exam.classes, ctx.lang, comboClassIds(photo.combo));
  const isPhoto = ctx.callbackQuery?.message && 'photo' in ctx.callbackQuery.message;
  const edit = isPhoto
    ? ctx.editMessageCaption(caption, { parse_mode: 'HTML', reply_markup: markup })
    : ctx.editMessageText(caption, { parse_mode: 'HTML', reply_markup: markup });
  await unlessBenign<unknown>(edit);
}

/** Stores an edited box list as a new label version and asks the worker to redraw the preview. */
async function saveEdit(ctx: BotContext, deps: BotDeps, t: Target, boxes: BoxInput[]): Promise<void> {
  const version = deps.store.labels.addVersion(t.photo.id, { kind: 'label', author: ctx.from?.id ?? 0, boxes });
  await redraw(ctx, deps, t.photo.id);
  if (ctx.chat && ctx.from) {
    await deps.jobs
      .enqueue('preview', { stationNo: t.photo.stationNo, photoId: t.photo.id, chatId: ctx.chat.id, lang: ctx.lang, mode: 'edit', userId: ctx.from.id, version })
      .catch((err: unknown) => deps.log.warn({ err }, 'could not enqueue a preview redraw'));
  }
}

export const labelFlow: Flow = {
  name: 'label',
  register(bot, deps, actions) {
    actions.set('pc', async (ctx, args) => {
      const t = await target(ctx, deps, args);
      if (!t) return;
      if (t.boxes.length === 0) {
        await ctx.answerCbQuery(ctx.tr('label.noBoxes'));
        return;
      }
      const r = deps.store.labels.confirm(t.photo.id, t.version);
      if (r.kind !== 'confirmed' && r.kind !== 'already') {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery(ctx.tr(r.kind === 'already' ? 'label.already' : 'label.confirmed', { id: t.photo.id }));
      await redraw(ctx, deps, t.photo.id);
      if (r.kind === 'confirmed' && ctx.chat) {
        const run = await maybeStartAssist(deps, t.photo.stationNo, ctx.chat.id, ctx.lang).catch((err: unknown) => {
          deps.log.warn({ err }, 'could not queue the assist training');
          return undefined;
        });
        if (run) await ctx.reply(ctx.tr('label.assistQueued', { run }), { parse_mode: 'HTML' });
        await sendNextOfAlbum(ctx, deps, t.photo, true);
      }
    });

    actions.set('pm', async (ctx, args) => {
      const t = await target(ctx, deps, args);
      const box = Number(args[2]);
      if (!t) return;
      if (!Number.isInteger(box) || box < 0 || box >= t.boxes.length) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      await redraw(ctx, deps, t.photo.id, box);
    });

    actions.set('pb', async (ctx, args) => {
      const t = await target(ctx, deps, args);
      if (!t) return;
      await ctx.answerCbQuery();
      await redraw(ctx, deps, t.photo.id);
    });

    actions.set('pk', async (ctx, args) => {
      const t = await target(ctx, deps, args);
      const box = Number(args[2]);
      const classId = Number(args[3]);
      if (!t) return;
      const valid = comboClassIds(t.photo.combo).includes(classId) || (comboClassIds(t.photo.combo).length === 0 && deps.exam.classes.some((c) => c.id === classId));
      const current = t.boxes[box];
      if (!current || !valid) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      if (current.classId === classId) {
        await redraw(ctx, deps, t.photo.id);
        return;
      }
      await saveEdit(ctx, deps, t, t.boxes.map((b, i) => (i === box ? { ...b, classId, source: 'human', score: null } : b)));
    });

    actions.set('pd', async (ctx, args) => {
      const t = await target(ctx, deps, args);
      const box = Number(args[2]);
      if (!t) return;
      if (!t.boxes[box]) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      await saveEdit(ctx, deps, t, t.boxes.filter((_, i) => i !== box));
    });

    // The model sees another combo than the photo's (issue 11 point 6): move the photo there, under
    // that combo's quota, in one transaction (as a restore does), then redraw the message.
    actions.set('pv', async (ctx, args) => {
      const t = await target(ctx, deps, args.slice(0, 2));
      const combo = args[2] ?? '';
      if (!t) return;
      const item = capturePlan(deps.exam).find((i) => i.combo === combo);
      if (!item) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      const label = comboLabel(combo, deps.exam.classes, ctx.lang);
      const moved = deps.store.transaction((): 'moved' | 'full' | 'stale' => {
        if ((deps.store.photos.countByCombo(t.photo.stationNo).get(combo) ?? 0) >= item.quota) return 'full';
        return deps.store.photos.setCombo(t.photo.id, combo) ? 'moved' : 'stale';
      });
      await ctx.answerCbQuery(moved === 'moved' ? ctx.tr('label.moved', { id: t.photo.id, combo: label }) : moved === 'full' ? ctx.tr('label.moveFull', { combo: label }) : ctx.tr('err.stale'));
      await redraw(ctx, deps, t.photo.id);
    });

    actions.set('px', async (ctx, args) => {
      const t = await target(ctx, deps, args.slice(0, 1));
      if (!t) return;
      const r = removePhoto(deps, t.photo);
      await ctx.answerCbQuery(ctx.tr(r === 'removed' ? 'clean.removed' : 'clean.already', { id: t.photo.id }));
      await redraw(ctx, deps, t.photo.id);
    });

    bot.command('label', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const next = deps.store.photos.nextToConfirm(stationNo);
      if (!next) {
        // "All confirmed" only when there is something confirmed: before the first photo, say what to do.
        const s = deps.store.photos.summary(stationNo);
        const accepted = s.byStatus.clean + s.byStatus.prelabeled + s.byStatus.confirmed + s.byStatus.reviewed;
        await ctx.reply(accepted > 0 ? ctx.tr('label.allDone') : ctx.tr(s.byStatus.received > 0 ? 'label.checking' : 'label.noPhotos', { n: s.byStatus.received }));
        return;
      }
      const waiting = deps.store.photos.list(stationNo, { status: ['clean', 'prelabeled'] }).length;
      await ctx.reply(ctx.tr('label.next', { id: next.id, waiting }));
      // A second /label sends again: the command's own message is part of the job id.
      await sendPreview(ctx, deps, next, ctx.message.message_id);
    });
  },
};
