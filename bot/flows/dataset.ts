import { Markup } from 'telegraf';
import { className, encodeCallback, LOOSE_LIMITS, looseCounts, looseFileKind, safeLooseName, unlessBenign, type Lang, t } from '../../core/index.js';
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

/** What was collected so far, as the chat says it: `12 images, 12 label files, 1 data.yaml`. */
export function looseSummary(lang: Lang, names: readonly string[]): string {
  const counts = looseCounts(names);
  return (['image', 'label', 'classes', 'yaml', 'json', 'xml'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => t(lang, `import.loose.n.${k}`, { n: counts[k] }))
    .join(', ');
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);

/**
 * A document of a dataset sent as loose files: refused by name when no format uses its
 * type or it is over the Bot API's download limit, else recorded in SQLite (a restart
 * loses nothing) and answered with what has been collected and a Done button.
 */
async function collectLoose(ctx: BotContext, deps: BotDeps, stationNo: string, doc: { file_id: string; file_name?: string; file_size?: number }, messageId: number): Promise<void> {
  if (!ctx.account) return;
  const name = safeLooseName(doc.file_name ?? 'file');
  const shown = escape(name.slice(0, 80));
  if (!looseFileKind(name)) {
    await ctx.reply(ctx.tr('import.loose.unknown', { file: shown }), { parse_mode: 'HTML' });
    return;
  }
  if ((doc.file_size ?? 0) > LOOSE_LIMITS.maxFileBytes) {
    await ctx.reply(ctx.tr('import.loose.tooLarge', { file: shown, size: mb(doc.file_size ?? 0), max: mb(LOOSE_LIMITS.maxFileBytes) }), { parse_mode: 'HTML' });
    return;
  }
  const r = deps.store.dataset.addUpload(ctx.account.userId, stationNo, { fileId: doc.file_id, fileName: name, size: doc.file_size ?? 0, messageId }, LOOSE_LIMITS.maxFiles);
  if (r.kind === 'too-many') {
    await ctx.reply(ctx.tr('import.loose.tooMany', { file: shown, max: LOOSE_LIMITS.maxFiles }), { parse_mode: 'HTML' });
    return;
  }
  const summary = looseSummary(ctx.lang, deps.store.dataset.uploads(ctx.account.userId, stationNo).map((u) => u.fileName));
  await ctx.reply(ctx.tr(r.kind === 'replaced' ? 'import.loose.replaced' : 'import.loose.got', { file: shown, summary }), {
    parse_mode: 'HTML',
    ...Markup.inlineKeyboard([[Markup.button.callback(ctx.tr('btn.import.done'), encodeCallback('ix'))]]),
  });
}

/**
 * A document sent after `/import`: a zip is queued for import (as this user's station),
 * a dataset's loose file (image, label, yaml, json, xml) is collected until Done, anything
 * else is refused by name. Returns false when the user is not in the import step, so
 * capture treats the document as a photo.
 */
export async function routeImportDocument(ctx: BotContext, deps: BotDeps): Promise<boolean> {
  const msg = ctx.message;
  if (!msg || !ctx.account || ctx.account.wizard?.step !== IMPORT_WAIT || !ctx.chat) return false;
  // A compressed photo has lost its file name (labels pair with images by name): ask for files.
  if ('photo' in msg) {
    await ctx.reply(ctx.tr('import.loose.photo'), { parse_mode: 'HTML' });
    return true;
  }
  if (!('document' in msg)) return false;
  const stationNo = await requireStation(ctx);
  if (!stationNo) return true;
  const name = msg.document.file_name ?? 'dataset.zip';
  if (!/\.zip$/i.test(name) && msg.document.mime_type !== 'application/zip') {
    await collectLoose(ctx, deps, stationNo, msg.document, msg.message_id);
    return true;
  }
  // A zip is the whole dataset: loose files collected before it are dropped.
  deps.store.dataset.clearUploads(ctx.account.userId, stationNo);
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
  loose: boolean;
}

function mapDraft(draft: Record<string, unknown>): MapDraft | undefined {
  const d = draft as Partial<MapDraft>;
  if (typeof d.requestId !== 'number' || typeof d.fileId !== 'string' || typeof d.fileName !== 'string' || !Array.isArray(d.unmatched)) return undefined;
  return { requestId: d.requestId, fileId: d.fileId, fileName: d.fileName, chosen: d.chosen ?? {}, unmatched: d.unmatched, loose: d.loose === true };
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
      // A new /import starts a new collection of loose documents.
      deps.store.dataset.clearUploads(ctx.account.userId);
      ctx.account = { ...ctx.account, wizard: { step: IMPORT_WAIT, draft: { stationNo } } };
      await ctx.reply(ctx.tr('import.prompt'), { parse_mode: 'HTML' });
    });

    // Done: import the loose documents collected since /import, like an unpacked zip.
    // The job is named by the last document's message.
    actions.set('ix', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo || !ctx.account || !ctx.chat) return;
      const uploads = ctx.account.wizard?.step === IMPORT_WAIT ? deps.store.dataset.uploads(ctx.account.userId, stationNo) : [];
      const last = uploads.reduce((m, u) => Math.max(m, u.messageId), 0);
      if (uploads.length === 0 || last === 0) {
        await ctx.answerCbQuery(ctx.tr('import.loose.none'));
        return;
      }
      const main = uploads.find((u) => ['yaml', 'json', 'classes'].includes(looseFileKind(u.fileName) ?? '')) ?? uploads.find((u) => looseFileKind(u.fileName) === 'xml') ?? uploads[0]!;
      const fileName = uploads.length > 1 ? `${main.fileName} +${uploads.length - 1}` : main.fileName;
      // requeue: Done again after an import that found problems (nothing new sent) runs it again;
      // a copy still waiting or running is left alone, so a double tap queues one import.
      await deps.jobs.requeue('import', {
        stationNo,
        chatId: ctx.chat.id,
        userId: ctx.account.userId,
        lang: ctx.lang,
        requestId: last,
        stage: 'fetch',
        fileId: 'loose',
        fileName: fileName.slice(0, 256),
        loose: true,
      });
      // The button stays: after an import that found problems, Done runs it again (on the files sent since too).
      await ctx.answerCbQuery();
      const summary = looseSummary(ctx.lang, uploads.map((u) => u.fileName));
      await ctx.reply(ctx.tr('import.loose.queued', { count: uploads.length, summary }), { parse_mode: 'HTML' });
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
        ...(draft.loose ? { loose: true } : {}),
      });
    });
  },
};
