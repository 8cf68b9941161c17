import { Markup } from 'telegraf';
import { encodeCallback, invokeLinks, invokePageButton } from '../../core/index.js';
import type { Run } from '../../store/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';
import { requireStation } from '../guards.js';
import { nudgeGuide } from './guide.js';

/**
 * `/deploy`: makes a completed training run the station's deployed model (the best by
 * mAP@0.5 unless a button names another) and answers with everything needed to call it —
 * the detect URL, the station's API key (the clear key only when it is issued: the store
 * keeps its hash, so afterwards only its prefix), a curl line and the visual page's link —
 * then queues a prediction on a val photo (the worker decodes and draws; the bot never does).
 */

/** Buttons for other runs, at most this many (the best ones). */
const MAX_RUN_BUTTONS = 6;

const map50Of = (run: Run): number | undefined => (typeof run.metrics?.map50 === 'number' ? run.metrics.map50 : undefined);
const fmtMap = (run: Run): string => map50Of(run)?.toFixed(3) ?? '—';

/** The station's completed training runs, best mAP@0.5 first (runs without one last, newest first). */
export function deployableRuns(deps: BotDeps, stationNo: string): Run[] {
  return deps.store.runs
    .list(stationNo)
    .filter((r) => r.kind === 'train' && r.status === 'completed')
    .sort((a, b) => (map50Of(b) ?? -1) - (map50Of(a) ?? -1) || b.seq - a.seq);
}

/** A val photo of the station to show the model on (any accepted photo when none is val). */
function samplePhotoId(deps: BotDeps, stationNo: string): number | undefined {
  const photos = deps.store.photos.list(stationNo, { status: ['clean', 'prelabeled', 'confirmed', 'reviewed'] }).filter((p) => p.imagePath);
  const split = deps.store.dataset.splitOf(stationNo);
  return (photos.find((p) => split.get(p.id) === 'val') ?? photos[0])?.id;
}

/** The service message: URL, key (clear once, else prefix), curl line, page link; buttons for other runs and a new key. */
function serviceMessage(ctx: BotContext, deps: BotDeps, stationNo: string, run: Run, head: string, clearKey: string | undefined) {
  const links = invokeLinks(deps.config, stationNo, clearKey);
  const prefix = deps.store.apiKeys.info(stationNo)?.prefix ?? '—';
  const lines = [
    head,
    '',
    ctx.tr('deploy.service', { url: links.detect }),
    clearKey ? ctx.tr('deploy.keyNew', { key: clearKey }) : ctx.tr('deploy.keyPrefix', { prefix: prefix }),
    ctx.tr('deploy.curl', { key: clearKey ?? '<key>', url: links.detect }),
    ctx.tr('deploy.page', { page: links.page }),
  ];
  const others = deployableRuns(deps, stationNo)
    .filter((r) => r.id !== run.id)
    .slice(0, MAX_RUN_BUTTONS)
    .map((r) => [Markup.button.callback(ctx.tr('btn.deployRun', { run: r.id, map50: fmtMap(r) }), encodeCallback('dp', r.id))]);
  // The visual page: a Mini App over https (initData stands in for the key), else a link.
  const open = invokePageButton(deps.config, stationNo, clearKey);
  const page = open ? [[open.kind === 'web_app' ? Markup.button.webApp(ctx.tr('btn.invokePage'), open.url) : Markup.button.url(ctx.tr('btn.invokePage'), open.url)]] : [];
  const keyboard = Markup.inlineKeyboard([...page, ...others, [Markup.button.callback(ctx.tr('btn.newKey'), encodeCallback('dk'))]]);
  return { text: lines.join('\n'), extra: { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true }, ...keyboard } };
}

async function deploy(ctx: BotContext, deps: BotDeps, stationNo: string, run: Run, requestId: number): Promise<void> {
  const done = deps.store.runs.setDeployed(run.id);
  if (done.kind !== 'deployed') {
    await ctx.reply(ctx.tr('deploy.notCompleted', { run: run.id }));
    return;
  }
  let clearKey: string | undefined;
  if (!deps.store.apiKeys.info(stationNo)) {
    const issued = deps.store.apiKeys.issue(stationNo);
    if (issued.kind === 'issued') clearKey = issued.key;
  }
  const head = ctx.tr('deploy.done', { run: run.id, station: stationNo, map50: fmtMap(run) });
  const msg = serviceMessage(ctx, deps, stationNo, done.run, head, clearKey);
  await ctx.reply(msg.text, msg.extra);
  await nudgeGuide(ctx, deps);
  const photoId = samplePhotoId(deps, stationNo);
  if (photoId === undefined || !ctx.chat) {
    await ctx.reply(ctx.tr('deploy.noSample'));
    return;
  }
  await deps.jobs.enqueue('predict', { stationNo, runId: run.id, chatId: ctx.chat.id, lang: ctx.lang, source: 'val', photoId, requestId });
  await ctx.reply(ctx.tr('deploy.sample', { id: photoId }));
}

export const deployFlow: Flow = {
  name: 'deploy',
  register(bot, deps, actions) {
    bot.command('deploy', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const best = deployableRuns(deps, stationNo)[0];
      if (!best) {
        await ctx.reply(ctx.tr('deploy.noRun'));
        return;
      }
      await deploy(ctx, deps, stationNo, best, ctx.message.message_id);
    });

    actions.set('dp', async (ctx, [runId]) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const run = runId ? deps.store.runs.getForStation(stationNo, runId) : undefined;
      if (!run || run.kind !== 'train') {
        await ctx.answerCbQuery(ctx.tr(runId && deps.store.runs.get(runId) ? 'err.forbidden' : 'err.stale'));
        return;
      }
      await ctx.answerCbQuery();
      await deploy(ctx, deps, stationNo, run, ctx.update.update_id);
    });

    actions.set('dk', async (ctx) => {
      const stationNo = await requireStation(ctx);
      if (!stationNo) return;
      const run = deps.store.runs.deployed(stationNo);
      if (!run) {
        await ctx.answerCbQuery(ctx.tr('deploy.nothing'));
        return;
      }
      const issued = deps.store.apiKeys.issue(stationNo);
      if (issued.kind !== 'issued') {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      await ctx.answerCbQuery(ctx.tr('deploy.keyReplaced'));
      const head = `${ctx.tr('deploy.keyReplaced')}\n${ctx.tr('deploy.current', { run: run.id, station: stationNo, map50: fmtMap(run) })}`;
      const msg = serviceMessage(ctx, deps, stationNo, run, head, issued.key);
      await ctx.reply(msg.text, msg.extra);
    });
  },
};
