import { Markup } from 'telegraf';
import {
  bestEffort,
  capturePlan,
  className,
  encodeCallback,
  parseTrainArgs,
  TrainArgsError,
  presetFor,
  presetsFor,
  USER_PRESETS,
  type PresetName,
  type TrainParams,
} from '../../core/index.js';
import type { BotContext } from '../context.js';
import { requireStation } from '../guards.js';
import type { BotDeps, Flow } from '../deps.js';
import { confirmedPerClass } from './assist.js';
import { deviceLine, estimateText, nextTrainerDevice } from './train-device.js';

/**
 * `/train`: presets or custom parameters (`/train epochs=60 lr=0.001 batch=8`), refused
 * until every class has enough confirmed photos; one active run per station; the run is
 * named after the station. The worker streams progress into the message sent here.
 */

function missingText(ctx: BotContext, deps: BotDeps, perClass: Map<number, number>): string | undefined {
  const min = deps.exam.labeling.minConfirmedPerClass;
  const missing = deps.exam.classes
    .filter((c) => (perClass.get(c.id) ?? 0) < min)
    .map((c) => `${className(c, ctx.lang)} ${perClass.get(c.id) ?? 0}/${min}`);
  return missing.length ? ctx.tr('train.notEnough', { min, missing: missing.join(', ') }) : undefined;
}

/** Creates a run (one active run per station) and queues its job; the Retry button of a failed run uses it too. */
export async function startRun(ctx: BotContext, deps: BotDeps, params: TrainParams, preset: PresetName | 'custom'): Promise<void> {
  const stationNo = ctx.account?.stationNo;
  if (!stationNo || !ctx.chat) return;
  const { perClass } = confirmedPerClass(deps, stationNo);
  const missing = missingText(ctx, deps, perClass);
  if (missing) {
    await ctx.reply(missing);
    return;
  }
  const created = deps.store.runs.create({ stationNo, kind: 'train', params, chatId: ctx.chat.id });
  if (created.kind === 'busy') {
    await ctx.reply(ctx.tr('train.busy', { station: stationNo, run: created.run.id, status: ctx.tr(`run.status.${created.run.status}`) }), { parse_mode: 'HTML' });
    return;
  }
  const run = created.run;
  const budget = params.timeBudgetS ? ctx.tr('unit.minutes', { n: Math.round(params.timeBudgetS / 60) }) : '—';
  const device = await nextTrainerDevice(deps);
  const { photos } = confirmedPerClass(deps, stationNo);
  const onDevice = ctx.tr('train.started.device', { device: deviceLine(ctx, device), estimate: estimateText(ctx, deps, params, photos, device?.kind ?? 'cpu') });
  const text = `${ctx.tr('train.started', { run: run.id, preset, model: params.model, epochs: params.epochs, budget })}\n${onDevice}`;
  const msg = await ctx.reply(text, {
    parse_mode: 'HTML',
    ...Markup.inlineKeyboard([Markup.button.callback(ctx.tr('btn.stop'), encodeCallback('ts', run.id))]),
  });
  deps.store.runs.update(run.id, { progressMessageId: msg.message_id });
  const payload = { stationNo, runId: run.id, chatId: ctx.chat.id, lang: ctx.lang };
  await deps.jobs.enqueue('train', payload, { priority: 1 });
}

export const trainFlow: Flow = {
  name: 'train',
  register(bot, deps, actions) {
    bot.command('train', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const args = ctx.payload.trim();
      if (args) {
        try {
          const device = await nextTrainerDevice(deps);
          const { params, preset } = parseTrainArgs(args, presetsFor(device?.kind ?? 'cpu'));
          await startRun(ctx, deps, params, preset);
        } catch (err) {
          // Every bad parameter at once, one line each; any other UserInputError goes to the central handler.
          if (!(err instanceof TrainArgsError)) throw err;
          const lines = err.issues.map((i) => `• ${i.kind === 'param' ? ctx.tr('err.train.param', { ...i }) : ctx.tr('err.train.unknown', { field: i.field })}`);
          await ctx.reply([ctx.tr('err.train.params', { n: err.issues.length }), ...lines].join('\n'), { parse_mode: 'HTML' });
        }
        return;
      }
      const { photos, perClass } = confirmedPerClass(deps, stationNo);
      const per = deps.exam.classes.map((c) => `${className(c, ctx.lang)} ${perClass.get(c.id) ?? 0}`).join(' · ');
      const device = await nextTrainerDevice(deps);
      const kind = device?.kind ?? 'cpu';
      // Each preset as it will run on this device, with how long it should take — for the
      // photos confirmed so far, or the whole plan while fewer are (training needs them first).
      const planned = capturePlan(deps.exam).reduce((n, item) => n + item.quota, 0);
      const presetLines = USER_PRESETS.map((p) => {
        const params = presetFor(p, kind);
        return `• ${p}: ${params.imgSize} px · ${params.epochs} · ${estimateText(ctx, deps, params, Math.max(photos, planned), kind)}`;
      });
      const menu = [ctx.tr('train.menu', { station: stationNo, photos, perClass: per }), '', deviceLine(ctx, device), ...presetLines].join('\n');
      await ctx.reply(menu, {
        parse_mode: 'HTML',
        ...Markup.inlineKeyboard(USER_PRESETS.map((p) => [Markup.button.callback(ctx.tr(`train.preset.${p}`), encodeCallback('tp', p))])),
      });
    });

    actions.set('tp', async (ctx, [name]) => {
      if (!(await requireStation(ctx))) return;
      const preset = USER_PRESETS.find((p) => p === name);
      if (!preset) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      await bestEffort(ctx.editMessageReplyMarkup(undefined), deps.log, 'removing spent buttons');
      const device = await nextTrainerDevice(deps);
      await startRun(ctx, deps, presetFor(preset, device?.kind ?? 'cpu'), preset);
    });

    actions.set('ts', async (ctx, [runId]) => {
      const stationNo = ctx.account?.stationNo;
      const run = stationNo && runId ? deps.store.runs.getForStation(stationNo, runId) : undefined;
      if (!run) {
        await ctx.answerCbQuery(ctx.tr(runId && deps.store.runs.get(runId) ? 'err.forbidden' : 'err.stale'));
        return;
      }
      const stopped = deps.store.runs.requestStop(run.id);
      await ctx.answerCbQuery(ctx.tr(stopped ? 'train.stopAsked' : 'train.notActive'));
    });

    bot.command('models', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const runs = deps.store.runs.list(stationNo).filter((r) => r.kind === 'train');
      if (runs.length === 0) {
        await ctx.reply(ctx.tr('models.empty'));
        return;
      }
      const best = runs.filter((r) => typeof r.metrics?.map50 === 'number').sort((a, b) => Number(b.metrics?.map50) - Number(a.metrics?.map50))[0];
      const lines = runs.map((r) =>
        ctx.tr('models.line', {
          mark: r.id === best?.id ? '⭐' : '•',
          run: r.id,
          status: ctx.tr(`run.status.${r.status}`),
          map50: typeof r.metrics?.map50 === 'number' ? r.metrics.map50.toFixed(3) : '—',
          model: String(r.params.model ?? ''),
        }),
      );
      await ctx.reply([ctx.tr('models.title', { station: stationNo }), ...lines].join('\n'), { parse_mode: 'HTML' });
    });
  },
};
