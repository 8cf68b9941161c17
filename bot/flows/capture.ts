import { Markup } from 'telegraf';
import type { Message } from 'telegraf/types';
import {
  bestEffort,
  capturePlan,
  comboLabel,
  encodeCallback,
  findIdNumbers,
  maskIdNumbersIn,
  parseCombo,
  planProgress,
  truncate,
  type ComboKey,
  unlessBenign,
  type ExamConfig,
} from '../../core/index.js';
import type { BotContext } from '../context.js';
import { requireStation } from '../guards.js';
import type { BotDeps, Flow } from '../deps.js';
import { IMPORT_WAIT, routeImportDocument } from './dataset.js';
import { clearPredictWait, routePredictPhoto } from './predict.js';
import { createQueuePlaceNotice, type QueuePlaceNotice } from '../queue-place.js';

/**
 * `/capture`: choose the combo being photographed (it stays active until switched or
 * full), then send photos, original files or albums. The bot records each photo and
 * enqueues its ingest job; the worker answers with the verdict. Nothing slow runs here.
 */

function progressOf(deps: BotDeps, stationNo: string) {
  return planProgress(capturePlan(deps.exam), deps.store.photos.countByCombo(stationNo));
}

/** The active combo if it is still short of its quota, else the plan's next one (made active). */
function currentCombo(ctx: BotContext, deps: BotDeps, stationNo: string): ComboKey | undefined {
  const progress = progressOf(deps, stationNo);
  const active = progress.items.find((i) => i.combo === ctx.account?.activeCombo && !i.isFull);
  const combo = active?.combo ?? progress.next?.combo;
  if (ctx.account && combo !== ctx.account.activeCombo) {
    deps.store.users.setActiveCombo(ctx.account.userId, combo ?? null);
    ctx.account = { ...ctx.account, activeCombo: combo ?? null };
  }
  return combo;
}

function exampleCaption(exam: ExamConfig): string {
  return exam.classes.slice(0, 2).map((c) => c.key).join('+');
}

function captureScreen(ctx: BotContext, deps: BotDeps, stationNo: string) {
  const combo = currentCombo(ctx, deps, stationNo);
  const progress = progressOf(deps, stationNo);
  const head = ctx.tr('capture.title', { station: stationNo, captured: progress.captured, total: progress.total });
  const item = progress.items.find((i) => i.combo === combo);
  if (!item) return { text: `${head}\n\n${ctx.tr('capture.allDone')}`, markup: undefined };
  const body = ctx.tr('capture.active', {
    label: comboLabel(item.combo, deps.exam.classes, ctx.lang),
    captured: item.captured,
    quota: item.quota,
    example: exampleCaption(deps.exam),
  });
  const buttons = progress.items
    .filter((i) => !i.isFull)
    .map((i) => [
      Markup.button.callback(
        `${i.combo === combo ? '▶ ' : ''}${comboLabel(i.combo, deps.exam.classes, ctx.lang)} ${i.captured}/${i.quota}`,
        encodeCallback('cap', i.combo),
      ),
    ]);
  return { text: `${head}\n\n${body}\n\n${ctx.tr('capture.pick')}`, markup: Markup.inlineKeyboard(buttons) };
}

type FileInfo = { fileId: string; uniqueId: string; size: number | undefined; source: 'photo' | 'document' };

function fileOf(msg: Message): FileInfo | undefined {
  if ('photo' in msg && msg.photo.length > 0) {
    const best = msg.photo[msg.photo.length - 1];
    if (best) return { fileId: best.file_id, uniqueId: best.file_unique_id, size: best.file_size, source: 'photo' };
  }
  if ('document' in msg) {
    return { fileId: msg.document.file_id, uniqueId: msg.document.file_unique_id, size: msg.document.file_size, source: 'document' };
  }
  return undefined;
}

/**
 * The per-station caps (`limits.maxPhotosPerStation`, `limits.maxBytesPerStation`): a
 * station that reached one gets a clear message and no new row, so one station cannot
 * fill the disk shared by all.
 */
function stationCap(deps: BotDeps, stationNo: string, incomingBytes: number): { key: 'capture.capPhotos' | 'capture.capBytes'; args: Record<string, string | number> } | undefined {
  const { maxPhotosPerStation, maxBytesPerStation } = deps.exam.limits;
  const use = deps.store.disk.station(stationNo);
  if (use.photos >= maxPhotosPerStation) return { key: 'capture.capPhotos', args: { max: maxPhotosPerStation } };
  if (use.rawBytes + incomingBytes > maxBytesPerStation) {
    return { key: 'capture.capBytes', args: { used: (use.rawBytes / 1048576).toFixed(0), max: (maxBytesPerStation / 1048576).toFixed(0) } };
  }
  return undefined;
}

async function onPhoto(ctx: BotContext, deps: BotDeps, tellPlace: QueuePlaceNotice): Promise<void> {
  const msg = ctx.message;
  if (!msg || !ctx.account || !ctx.chat) return;
  // After /import the next documents are the dataset, not photos.
  if (await routeImportDocument(ctx, deps)) return;
  // After /predict the next photo is run through the deployed model, not captured.
  if (await routePredictPhoto(ctx, deps)) return;
  const stationNo = await requireStation(ctx);
  if (!stationNo) return;
  const file = fileOf(msg);
  if (!file) return;
  const max = deps.exam.limits.maxFileBytes;
  if (file.size !== undefined && file.size > max) {
    await ctx.reply(ctx.tr('capture.tooLarge', { size: (file.size / 1048576).toFixed(1), max: (max / 1048576).toFixed(0) }));
    return;
  }
  const cap = stationCap(deps, stationNo, file.size ?? 0);
  if (cap) {
    await ctx.reply(ctx.tr(cap.key, cap.args));
    return;
  }
  if (deps.store.ingest.findFileElsewhere(stationNo, file.uniqueId)) {
    await ctx.reply(ctx.tr('capture.otherStation'));
    return;
  }
  const caption = 'caption' in msg ? (msg.caption ?? '').trim() : '';
  const idsInCaption = findIdNumbers(caption);
  const fromCaption = caption ? parseCombo(caption, deps.exam.classes) : undefined;
  const hadActive = ctx.account.activeCombo !== null;
  const combo = fromCaption ?? currentCombo(ctx, deps, stationNo) ?? capturePlan(deps.exam)[0]?.combo ?? '0';
  const mediaGroupId = 'media_group_id' in msg ? msg.media_group_id : undefined;

  const received = deps.store.photos.receive({
    stationNo,
    tgFileId: file.fileId,
    tgFileUniqueId: file.uniqueId,
    source: file.source,
    mediaGroupId: mediaGroupId ?? null,
    chatId: ctx.chat.id,
    messageId: msg.message_id,
    combo,
  });
  if (received.kind === 'existing' && received.photo.chatId === ctx.chat.id && received.photo.messageId === msg.message_id && received.photo.status === 'received') {
    // The same message again (handled by a process that crashed before finishing): make sure
    // its ingest job exists (same job id: never twice) and say nothing twice.
    await deps.jobs.enqueue('ingest', { stationNo, photoId: received.photo.id, chatId: ctx.chat.id, lang: ctx.lang, ...(mediaGroupId ? { mediaGroupId } : {}) }).catch((err: unknown) => deps.log.warn({ err, photo: received.photo.id }, 'could not enqueue ingest; the sweep will'));
    return;
  }
  if (received.kind === 'existing') {
    if (idsInCaption.length > 0) await bestEffort(ctx.deleteMessage(), deps.log, 'deleting a caption holding an ID number');
    await ctx.reply(ctx.tr('capture.duplicate', { id: received.photo.id }));
    return;
  }
  // Enqueue first, reply second: the row and the job exist whatever the chat answers.
  const payload = { stationNo, photoId: received.photo.id, chatId: ctx.chat.id, lang: ctx.lang, ...(mediaGroupId ? { mediaGroupId } : {}) };
  const queued = await deps.jobs.enqueue('ingest', payload).then(
    () => true,
    (err: unknown) => {
      // The photo is recorded; the workers' sweep enqueues it when Redis is back.
      deps.log.warn({ err, photo: received.photo.id }, 'could not enqueue ingest; the sweep will');
      return false;
    },
  );
  if (idsInCaption.length > 0) {
    await bestEffort(ctx.deleteMessage(), deps.log, 'deleting a caption holding an ID number');
    await ctx.reply(ctx.tr('capture.idInCaption', { id: received.photo.id }));
  }
  const label = comboLabel(combo, deps.exam.classes, ctx.lang);
  if (caption && !fromCaption && !mediaGroupId) {
    await ctx.reply(ctx.tr('capture.captionUnknown', { caption: truncate(maskIdNumbersIn(caption), 40), label }));
  } else if (!fromCaption && !hadActive && !mediaGroupId) await ctx.reply(ctx.tr('capture.auto', { label }));

  if (queued) {
    queueDownTold.delete(ctx.chat.id);
    await bestEffort(ctx.sendChatAction('typing'), deps.log, 'typing indicator');
    await tellPlace(ctx, deps, payload);
  } else if (!queueDownTold.has(ctx.chat.id)) {
    queueDownTold.add(ctx.chat.id);
    await ctx.reply(ctx.tr('capture.queueDown', { id: received.photo.id }));
  }
}

/**
 * Chats already told that checks are delayed (Redis unreachable), so an album sent
 * during an outage gets one notice, not ten. Cleared by the chat's next enqueued photo.
 */
const queueDownTold = new Set<number>();

export const captureFlow: Flow = {
  name: 'capture',
  register(bot, deps, actions) {
    bot.command('capture', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      if (ctx.account?.wizard?.step === IMPORT_WAIT) {
        deps.store.users.setWizard(ctx.account.userId, null);
        ctx.account = { ...ctx.account, wizard: null };
      }
      clearPredictWait(ctx, deps);
      const screen = captureScreen(ctx, deps, stationNo);
      await ctx.reply(screen.text, { parse_mode: 'HTML', ...screen.markup });
    });

    actions.set('cap', async (ctx, [combo]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const item = progressOf(deps, stationNo).items.find((i) => i.combo === combo);
      if (!ctx.account || !item) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      if (item.isFull) {
        await ctx.answerCbQuery(ctx.tr('capture.full'));
      } else {
        deps.store.users.setActiveCombo(ctx.account.userId, item.combo);
        ctx.account = { ...ctx.account, activeCombo: item.combo };
        await ctx.answerCbQuery(ctx.tr('capture.switched', { label: comboLabel(item.combo, deps.exam.classes, ctx.lang) }));
      }
      const screen = captureScreen(ctx, deps, stationNo);
      await unlessBenign(ctx.editMessageText(screen.text, { parse_mode: 'HTML', ...screen.markup }));
    });

    const tellPlace = createQueuePlaceNotice(deps.now);
    bot.on(['photo', 'document'], (ctx) => onPhoto(ctx, deps, tellPlace));
  },
};
