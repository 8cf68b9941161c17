import { Markup } from 'telegraf';
import {
  bestEffort,
  checkContestantName,
  checkIdNumber,
  checkStationNo,
  codeMatches,
  encodeCallback,
  findIdNumbers,
  handinFolderName,
  maskIdNumber,
  UserInputError,
} from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { isProctor } from '../guards.js';

/**
 * `/start`: registration of a station in three answers (station number, name,
 * ID number) and a confirmation. The dialog state lives in the user's row, so a
 * bot restart in the middle of it loses nothing.
 */

/** `taken`: a station number typed once and found registered; typing it again means "it is mine, join it". */
type Draft = { station?: string; name?: string; id?: string; taken?: string };
const STEPS = ['reg.station', 'reg.name', 'reg.id', 'reg.confirm'] as const;
type Step = (typeof STEPS)[number];

function wizardOf(ctx: BotContext): { step: Step; draft: Draft } | undefined {
  const w = ctx.account?.wizard;
  if (!w || !(STEPS as readonly string[]).includes(w.step)) return undefined;
  return { step: w.step as Step, draft: w.draft as Draft };
}

function save(ctx: BotContext, deps: BotDeps, step: Step | null, draft: Draft = {}): void {
  if (!ctx.account) return;
  const wizard = step ? { step, draft } : null;
  deps.store.users.setWizard(ctx.account.userId, wizard);
  ctx.account = { ...ctx.account, wizard };
}

async function welcomeBack(ctx: BotContext, deps: BotDeps): Promise<boolean> {
  if (ctx.account?.role === 'proctor' || isProctor(ctx, deps.config)) {
    await ctx.reply(ctx.tr('start.proctor'), { parse_mode: 'HTML' });
    return true;
  }
  const stationNo = ctx.account?.stationNo;
  if (!stationNo) return false;
  const station = deps.store.stations.get(stationNo);
  if (!station) return false;
  await ctx.reply(
    ctx.tr('start.again', { station: station.stationNo, name: station.contestantName, id: station.idMasked }),
    { parse_mode: 'HTML' },
  );
  return true;
}

async function confirmPrompt(ctx: BotContext, draft: Required<Omit<Draft, 'taken'>>): Promise<void> {
  await ctx.reply(
    ctx.tr('start.confirm', {
      station: draft.station,
      name: draft.name,
      id: maskIdNumber(draft.id),
      folder: handinFolderName(draft.name, maskIdNumber(draft.id)),
    }),
    {
      parse_mode: 'HTML',
      ...Markup.inlineKeyboard([
        Markup.button.callback(ctx.tr('btn.confirm'), encodeCallback('reg', 'ok')),
        Markup.button.callback(ctx.tr('btn.redo'), encodeCallback('reg', 'redo')),
      ]),
    },
  );
}

async function onAnswer(ctx: BotContext, deps: BotDeps, text: string): Promise<boolean> {
  const w = wizardOf(ctx);
  if (!w || w.step === 'reg.confirm') return false;
  if (w.step === 'reg.station') {
    const r = checkStationNo(text);
    if (r.kind === 'invalid') throw new UserInputError(r.code);
    // A taken number is refused when it is typed, not after the name and ID number (issue 11
    // point 15); the same number typed twice is someone joining their own station from another phone.
    if (deps.store.stations.get(r.value) && w.draft.taken !== r.value) {
      save(ctx, deps, 'reg.station', { taken: r.value });
      await ctx.reply(ctx.tr('start.stationTakenAsk', { station: r.value }), { parse_mode: 'HTML' });
      return true;
    }
    save(ctx, deps, 'reg.name', { station: r.value });
    await ctx.reply(ctx.tr('start.askName', { station: r.value }), { parse_mode: 'HTML' });
    return true;
  }
  if (w.step === 'reg.name') {
    const r = checkContestantName(text);
    if (r.kind === 'invalid') throw new UserInputError(r.code);
    save(ctx, deps, 'reg.id', { ...w.draft, name: r.value });
    await ctx.reply(ctx.tr('start.askId', { name: r.value }), { parse_mode: 'HTML' });
    return true;
  }
  // reg.id: the message holds personal data; remove it from the chat once read.
  const r = checkIdNumber(text);
  await bestEffort(ctx.deleteMessage(), deps.log, 'deleting the ID-number message');
  if (r.kind === 'invalid') throw new UserInputError(r.code);
  const draft = { ...w.draft, id: r.value };
  if (!draft.station || !draft.name) {
    save(ctx, deps, 'reg.station');
    await ctx.reply(ctx.tr('start.welcome'), { parse_mode: 'HTML' });
    return true;
  }
  // The draft outlives this message in the users table: keep the ID number sealed there.
  save(ctx, deps, 'reg.confirm', { ...draft, id: deps.store.stations.sealId(r.value) });
  await confirmPrompt(ctx, { station: draft.station, name: draft.name, id: r.value });
  return true;
}

/**
 * An ID number typed anywhere but the registration step (free text for the guide, a name
 * answer): the message is deleted and the reply shows it masked; nothing else sees it.
 */
async function refuseIdNumber(ctx: BotContext, deps: BotDeps, text: string): Promise<boolean> {
  const ids = findIdNumbers(text);
  if (ids.length === 0) return false;
  await bestEffort(ctx.deleteMessage(), deps.log, 'deleting a message holding an ID number');
  await ctx.reply(ctx.tr('text.idElsewhere', { masked: ids.map(maskIdNumber).join(', ') }));
  return true;
}

export const startFlow: Flow = {
  name: 'start',
  register(bot, deps, actions) {
    bot.start(async (ctx) => {
      const [word, code] = ctx.payload.trim().split(/\s+/);
      if (word === 'proctor' && ctx.account) {
        // The code is compared in constant time and never logged (the update summary holds no text).
        if (codeMatches(code, deps.config.PROCTOR_CODE) || deps.config.PROCTOR_IDS.includes(ctx.account.userId)) {
          deps.store.users.bindStation(ctx.account.userId, null, 'proctor');
          await ctx.reply(ctx.tr('start.proctor'), { parse_mode: 'HTML' });
        } else {
          await ctx.reply(ctx.tr('start.proctorDenied'));
        }
        return;
      }
      if (await welcomeBack(ctx, deps)) return;
      save(ctx, deps, 'reg.station');
      await ctx.reply(ctx.tr('start.welcome'), { parse_mode: 'HTML' });
    });

    bot.on('text', async (ctx, next) => {
      const text = ctx.message.text;
      if (wizardOf(ctx)?.step !== 'reg.id' && (await refuseIdNumber(ctx, deps, text))) return;
      if (text.startsWith('/') || !(await onAnswer(ctx, deps, text))) await next();
    });

    actions.set('reg', async (ctx, [choice]) => {
      const w = wizardOf(ctx);
      if (!ctx.account || !w || w.step !== 'reg.confirm' || !w.draft.station || !w.draft.name || !w.draft.id) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      if (choice !== 'ok') {
        save(ctx, deps, 'reg.station');
        await bestEffort(ctx.editMessageReplyMarkup(undefined), deps.log, 'removing spent buttons');
        await ctx.reply(ctx.tr('start.welcome'), { parse_mode: 'HTML' });
        return;
      }
      const { station, name, id } = w.draft;
      const created = deps.store.stations.create({ stationNo: station, contestantName: name, idNumber: id });
      if (created.kind === 'exists') {
        if (!created.isSameContestant) {
          save(ctx, deps, 'reg.station');
          await bestEffort(ctx.editMessageReplyMarkup(undefined), deps.log, 'removing spent buttons');
          await ctx.reply(ctx.tr('start.stationTaken', { station }), { parse_mode: 'HTML' });
          return;
        }
      }
      deps.store.users.bindStation(ctx.account.userId, station, 'contestant');
      save(ctx, deps, null);
      const key = created.kind === 'created' ? 'start.done' : 'start.joined';
      await ctx.editMessageText(ctx.tr(key, { station, name }), { parse_mode: 'HTML' });
      deps.log.info({ station, user: ctx.account.userId, joined: created.kind !== 'created' }, 'station registered');
    });
  },
};
