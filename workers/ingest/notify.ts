import { Markup } from 'telegraf';
import {
  capturePlan,
  comboLabel,
  encodeCallback,
  parseRejectReason,
  planProgress,
  raw,
  rejectText,
  t,
  type Lang,
  type PlanProgress,
  type ProgressSummary,
} from '../../core/index.js';
import type { RawImage } from '../../vision/index.js';
import { photoMessage } from '../preview/render.js';
import type { Photo } from '../../store/index.js';
import type { WorkerDeps } from '../processors.js';

/** A rejection "keep anyway" may undo: an exact duplicate never joins the dataset (see restoreCheck), nor another station's photo. */
function isKeepable(photo: Photo): boolean {
  return photo.status === 'rejected' && photo.imagePath !== null && photo.rejectReason !== 'other-station' && photo.rejectReason !== 'exact-duplicate';
}

/** The one-line verdict of a photo, for a single reply or an album line. */
export function verdictLine(deps: WorkerDeps, photo: Photo, lang: Lang): string {
  if (photo.status === 'rejected') {
    const r = rejectText(lang, parseRejectReason(photo.rejectReason), photo.rejectDetail, photo.duplicateOf);
    return t(lang, 'ingest.albumLineBad', { id: photo.id, reason: r.reason });
  }
  return t(lang, 'ingest.albumLineOk', { id: photo.id, combo: comboLabel(photo.combo, deps.exam.classes, lang) });
}

/**
 * Tells the chat what became of one photo: accepted with progress (and what is next
 * when its combo just filled up), or rejected with the reason and a tip. Returns the
 * message id.
 */
export async function notifyPhoto(deps: WorkerDeps, photo: Photo, chatId: number, lang: Lang, display?: RawImage): Promise<number> {
  const plan = capturePlan(deps.exam);
  const progress = planProgress(plan, deps.store.photos.countByCombo(photo.stationNo));
  if (photo.status === 'rejected') {
    const r = rejectText(lang, parseRejectReason(photo.rejectReason), photo.rejectDetail, photo.duplicateOf);
    const canRestore = isKeepable(photo);
    const msg = await deps.telegram.sendMessage(chatId, t(lang, 'ingest.rejected', { id: photo.id, reason: r.reason, tip: r.tip }), {
      parse_mode: 'HTML',
      reply_parameters: { message_id: photo.messageId, allow_sending_without_reply: true },
      ...(canRestore ? Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.keep'), encodeCallback('cr', photo.id))]) : {}),
    });
    return msg.message_id;
  }
  const item = progress.items.find((i) => i.combo === photo.combo);
  if (photo.status === 'prelabeled') {
    // The accepted photo with the model's boxes and one-tap Confirm.
    const userId = deps.store.users.listByStation(photo.stationNo).find((u) => u.chatId === chatId)?.userId ?? chatId;
    // The caption carries "combo full, switched" itself (the view's notes), so every redraw keeps it.
    const m = await photoMessage(deps, photo, lang, userId, display);
    const caption = m.caption;
    const sent = m.jpeg
      ? await deps.telegram.sendPhoto(chatId, { source: m.jpeg }, { caption, parse_mode: 'HTML', reply_markup: m.keyboard })
      : await deps.telegram.sendMessage(chatId, caption, { parse_mode: 'HTML', reply_markup: m.keyboard });
    return sent.message_id;
  }
  const lines = [
    t(lang, 'ingest.accepted', {
      id: photo.id,
      combo: comboLabel(photo.combo, deps.exam.classes, lang),
      captured: item?.captured ?? 0,
      quota: item?.quota ?? 0,
      total: progress.captured,
      planTotal: progress.total,
    }),
  ];
  lines.push(...nextLines(deps, item, progress, lang));
  const msg = await deps.telegram.sendMessage(chatId, lines.join('\n'), {
    parse_mode: 'HTML',
    reply_parameters: { message_id: photo.messageId, allow_sending_without_reply: true },
    ...Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.remove'), encodeCallback('cx', photo.id))]),
  });
  return msg.message_id;
}

/** When the photo's combo just filled up: say so and what comes next. */
function nextLines(deps: WorkerDeps, item: PlanProgress | undefined, progress: ProgressSummary, lang: Lang): string[] {
  if (!item?.isFull) return [];
  return [
    t(lang, 'ingest.comboFull', { combo: comboLabel(item.combo, deps.exam.classes, lang), quota: item.quota }),
    progress.next
      ? t(lang, 'ingest.next', { combo: comboLabel(progress.next.combo, deps.exam.classes, lang), remaining: progress.next.remaining })
      : t(lang, 'ingest.allDone', { total: progress.total }),
  ];
}

/** One summary for an album's photos (those not yet summarised). */
export async function notifyAlbum(deps: WorkerDeps, photos: readonly Photo[], chatId: number, lang: Lang): Promise<number | undefined> {
  const first = photos[0];
  if (!first) return undefined;
  const progress = planProgress(capturePlan(deps.exam), deps.store.photos.countByCombo(first.stationNo));
  const accepted = photos.filter((p) => p.status !== 'rejected').length;
  const text = t(lang, 'ingest.album', {
    n: photos.length,
    accepted,
    rejected: photos.length - accepted,
    lines: raw(photos.map((p) => verdictLine(deps, p, lang)).join('\n')),
    total: progress.captured,
    planTotal: progress.total,
  });
  // Label the accepted photos one preview at a time; keep a rejected one anyway, per photo.
  const firstAccepted = photos.find((p) => p.status !== 'rejected');
  const keep = photos.filter(isKeepable).map((p) => Markup.button.callback(t(lang, 'ingest.albumKeep', { id: p.id }), encodeCallback('cr', p.id)));
  const rows = [
    ...(firstAccepted ? [[Markup.button.callback(t(lang, 'ingest.albumLabel', { n: accepted }), encodeCallback('la', firstAccepted.id))]] : []),
    ...Array.from({ length: Math.ceil(keep.length / 3) }, (_, i) => keep.slice(i * 3, i * 3 + 3)),
  ];
  const msg = await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...(rows.length ? Markup.inlineKeyboard(rows) : {}) });
  return msg.message_id;
}
