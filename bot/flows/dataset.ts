import { Markup } from 'telegraf';
import { className, encodeCallback, unlessBenign } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { requireStation } from '../guards.js';

/**
 * `/dataset` (export in three formats), `/handin` (the hand-in folder) and `/import` (the
 * judges' standard dataset). Handlers only record state and enqueue; the export worker
 * builds, extracts and sends. Every job carries the station of the user who asked, so
 * nobody exports from or imports into another station.
 */

/** Wizard step while `/import` waits for the zip; the export worker sets `import-map` when it asks about classes. */
export const IMPORT_WAIT = 'import-wait';
export const IMPORT_MAP = 'import-map';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A document sent after `/import`: a zip is queued for import (as this user's station),
 * anything else is answered with what to send. Returns false when the user is not in the
 * import step, so capture treats the document as a photo.
 */
export async function routeImportDocument(ctx: BotContext, deps: BotDeps): Promise<boolean> {
  const msg = ctx.message;
  if (!msg || !('document' in msg) || !ctx.account || ctx.account.wizard?.step !== IMPORT_WAIT || !ctx.chat) return false;
  const stationNo = await requireStation(ctx);
  if (!stationNo) return true;
  const name = msg.document.file_name ?? 'dataset.zip';
  if (!/\.zip$/i.test(name) && msg.document.mime_type !== 'application/zip') {
    await ctx.reply(ctx.tr('import.notZip', { file: escape(name.slice(0, 80)) }), { parse_mode: 'HTML' });
    return true;
  }
  await deps.jobs.enqueue('import', {
    stationNo,
    chatId: ctx.chat.id,
    userId: ctx.account.userId,
    lang: ctx.lang,
    requestId: msg.message_id,
    stage: 'fetch',
    fileId: msg.document.file_id,
    fileName: name.slice(0, 256),
  });
  await ctx.reply(ctx.tr('import.received', { file: escape(name.slice(0, 80)) }), { parse_mode: 'HTML' });
  return true;
}

interface MapDraft {
  requestId: number;
  fileId: string;
  fileName: string;
  chosen: Record<string, number | null>;
  unmatched: { index: number; name: string }[];
}

function mapDraft(draft: Record<string, unknown>): MapDraft | undefined {
  const d = draft as Partial<MapDraft>;
  if (typeof d.requestId !== 'number' || typeof d.fileId !== 'string' || typeof d.fileName !== 'string' || !Array.isArray(d.unmatched)) return undefined;
  return { requestId: d.requestId, fileId: d.fileId, fileName: d.fileName, chosen: d.chosen ?? {}, unmatched: d.unmatched };
}

export const datasetFlow: Flow = {
  name: 'dataset',
  register(bot, deps, actions) {
    const enqueueExport = async (ctx: BotContext, kind: 'dataset' | 'handin') => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.chat || !ctx.message) return;
      await deps.jobs.enqueue('export', { stationNo, kind, chatId: ctx.chat.id, lang: ctx.lang, requestId: ctx.message.message_id });
      await ctx.reply(ctx.tr(kind === 'dataset' ? 'dataset.queued' : 'handin.queued', { station: stationNo }), { parse_mode: 'HTML' });
    };
    bot.command('dataset', (ctx) => enqueueExport(ctx, 'dataset'));
    bot.command('handin', (ctx) => enqueueExport(ctx, 'handin'));

    bot.command('import', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.account) return;
      deps.store.users.setWizard(ctx.account.userId, { step: IMPORT_WAIT, draft: { stationNo } });
      ctx.account = { ...ctx.account, wizard: { step: IMPORT_WAIT, draft: { stationNo } } };
      await ctx.reply(ctx.tr('import.prompt'), { parse_mode: 'HTML' });
    });

    actions.set('im', async (ctx, [indexArg, choice]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.account || !ctx.chat) return;
      const wizard = ctx.account.wizard;
      const draft = wizard?.step === IMPORT_MAP ? mapDraft(wizard.draft) : undefined;
      const index = Number(indexArg);
      const pending = draft?.unmatched.find((u) => u.index === index && !(String(u.index) in draft.chosen));
      const examId = choice === 'x' ? null : Number(choice);
      if (!draft || !pending || (examId !== null && !deps.exam.classes.some((c) => c.id === examId))) {
        await ctx.answerCbQuery(ctx.tr('import.expired'));
        return;
      }
      const chosen = { ...draft.chosen, [String(index)]: examId };
      const next = draft.unmatched.find((u) => !(String(u.index) in chosen));
      const picked = examId === null ? ctx.tr('import.mapDrop') : className(deps.exam.classes.find((c) => c.id === examId) ?? deps.exam.classes[0]!, ctx.lang);
      await ctx.answerCbQuery(`${pending.name} → ${picked}`);
      if (next) {
        const draftNext = { ...draft, chosen };
        deps.store.users.setWizard(ctx.account.userId, { step: IMPORT_MAP, draft: { ...draftNext } });
        const left = draft.unmatched.filter((u) => !(String(u.index) in chosen)).length;
        const rows = deps.exam.classes.map((c) => [Markup.button.callback(className(c, ctx.lang), encodeCallback('im', next.index, String(c.id)))]);
        rows.push([Markup.button.callback(ctx.tr('import.mapDrop'), encodeCallback('im', next.index, 'x'))]);
        await unlessBenign(ctx.editMessageText(ctx.tr('import.map', { name: escape(next.name), left }), { parse_mode: 'HTML', ...Markup.inlineKeyboard(rows) }));
        return;
      }
      deps.store.users.setWizard(ctx.account.userId, null);
      await unlessBenign(ctx.editMessageText(ctx.tr('import.mapped')));
      await deps.jobs.enqueue('import', {
        stationNo,
        chatId: ctx.chat.id,
        userId: ctx.account.userId,
        lang: ctx.lang,
        requestId: draft.requestId,
        stage: 'apply',
        fileId: draft.fileId,
        fileName: draft.fileName,
        chosen,
      });
    });
  },
};
