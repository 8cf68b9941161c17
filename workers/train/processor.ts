import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import { Markup } from 'telegraf';
import { bestEffort, encodeCallback, t, trainJobSchema, trainParamsSchema, truncate, type Lang, type TrainJob } from '../../core/index.js';
import { runDir, stationPaths, writeFileAtomic, type Run } from '../../store/index.js';
import { fetchToLocal, writeThrough } from '../blob-sync.js';
import type { Processor, WorkerDeps } from '../processors.js';
import { BASE_CHECKPOINT } from '../base-model.js';
import { judgeAssist } from './adoption.js';
import { evaluateOnnx } from './evaluate.js';
import { rewriteManifest, writeManifest } from './manifest.js';
import { doneMessage, endedProgressText, foldProgress, initialProgress, progressMessage, type TrainProgress } from './progress-text.js';
import { runTrainer, type TrainerEvent } from './trainer-process.js';
import { nudgeMilestones } from '../guide/nudge.js';

const here = dirname(fileURLToPath(import.meta.url));
export const TRAINER_SCRIPT = resolve(here, '../trainer/train.py');

const TERMINAL = new Set(['completed', 'failed', 'stopped']);

async function say(deps: WorkerDeps, chatId: number | null | undefined, text: string, extra: object = {}): Promise<void> {
  if (chatId == null) return;
  await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...extra }).catch((err: unknown) => deps.log.warn({ err }, 'could not send'));
}

/** A Retry button under a failed run's message: a new run with the same parameters. */
function retryButton(lang: Lang, runId: string) {
  return Markup.inlineKeyboard([Markup.button.callback(t(lang, 'btn.retry'), encodeCallback('rt', runId))]);
}

/**
 * The train job: one run of the Python trainer for a station, named after the station
 * (`<station>-rN`). Streams progress into the run row and one edited chat message,
 * stops on the contestant's Stop, evaluates the exported ONNX model in TypeScript on
 * the same val photos, copies the model into the station's `models/` folder and tells
 * the chat. A worker crash re-queues the job (BullMQ stalled job); the next attempt
 * says so in the chat and trains again.
 */
async function train(job: TrainJob, deps: WorkerDeps): Promise<unknown> {
  const run = deps.store.runs.get(job.runId);
  if (!run || run.stationNo !== job.stationNo || TERMINAL.has(run.status)) return { kind: 'skipped' };
  const lang: Lang = job.lang;
  const attempt = run.attempts + 1;
  if (run.status === 'running') await say(deps, run.chatId, t(lang, 'train.restarted', { run: run.id, attempt }));
  deps.store.runs.update(run.id, { status: 'running', attempts: attempt, error: null });
  // With an object store this host may not share the creator's DATA_DIR: the run's folder is
  // this host's own, and photos it lacks are fetched first; the outputs are written through.
  const dir = deps.blobs ? runDir(deps.config.DATA_DIR, run.stationNo, run.id) : run.dir;
  mkdirSync(dir, { recursive: true });

  const params = trainParamsSchema.parse(run.params);
  if (params.init === null && params.model === 'ssdlite' && existsSync(BASE_CHECKPOINT)) params.init = BASE_CHECKPOINT;
  let manifest = await writeManifest(deps.store, deps.exam, { ...run, dir }, params);
  if (deps.blobs) {
    const local = await fetchToLocal(deps, run.stationNo, manifest.images.map((i) => i.path));
    if (local.missing.length > 0) {
      const error = `${local.missing.length} photo(s) missing from the object store: ${local.missing.slice(0, 5).join(', ')}`;
      deps.log.error({ run: run.id, missing: local.missing.length, where: deps.blobs.where }, 'training: photos this host cannot get');
      deps.store.runs.update(run.id, { status: 'failed', error, finishedAt: Date.now() });
      await endProgress(deps, run, t(lang, 'train.outcome.failed'));
      await say(deps, run.chatId, t(lang, 'train.missingImages', { count: local.missing.length, example: local.missing[0] ?? '' }), retryButton(lang, run.id));
      return { kind: 'failed', error };
    }
    if (local.paths.some((p, i) => p !== manifest.images[i]?.path)) manifest = await rewriteManifest(manifest, local.paths);
  }
  const paramsPath = join(dir, 'params.json');
  await writeFileAtomic(paramsPath, JSON.stringify({ ...params, device: deps.config.TRAINER_DEVICE }));

  let progress: TrainProgress = initialProgress(params.epochs);
  let lastEdit = 0;
  let device = 'cpu';
  const onEvent = (e: TrainerEvent) => {
    if (e.type === 'start') device = e.device;
    progress = foldProgress(progress, e);
    if (e.type !== 'epoch' && e.type !== 'step') return;
    deps.store.runs.update(run.id, { progress: { ...e, device, valMap50: progress.map } }, { onlyIfStatus: ['running'] });
    const now = Date.now();
    if (run.chatId == null || run.progressMessageId == null || now - lastEdit < 2500) return;
    lastEdit = now;
    const m = progressMessage(run.id, progress, lang, device);
    void bestEffort(
      deps.telegram.editMessageText(run.chatId, run.progressMessageId, undefined, m.text, { parse_mode: 'HTML', ...m.markup }),
      deps.log,
      'training progress edit',
    );
  };
  const result = await runTrainer({
    python: deps.config.TRAINER_PYTHON,
    script: TRAINER_SCRIPT,
    args: ['--manifest', manifest.path, '--params', paramsPath, '--out', dir, '--exit-with-parent'],
    onEvent,
    onBadLine: (line, error) => deps.log.warn({ run: run.id, line, error }, 'trainer wrote a line that is not an event; skipped'),
    shouldStop: () => deps.store.runs.get(run.id)?.stopRequestedAt != null,
  });

  const onnx = join(dir, 'model.onnx');
  if (!result.done || !existsSync(onnx)) {
    const error = result.error?.message ?? `trainer exited ${result.code ?? result.signal}`;
    deps.log.warn({ run: run.id, code: result.code, stderr: result.stderrTail }, 'training failed');
    deps.store.runs.update(run.id, { status: 'failed', error, finishedAt: Date.now() });
    await endProgress(deps, run, endedProgressText(run.id, progress, lang, device, t(lang, 'train.outcome.failed')));
    await say(deps, run.chatId, t(lang, 'train.failed', { run: run.id, error: truncate(error, 300) }), retryButton(lang, run.id));
    return { kind: 'failed', error };
  }
  const val = manifest.images.filter((i) => i.split === 'val');
  const ev = await evaluateOnnx(onnx, val.length ? val : manifest.images, deps.exam);
  const models = join(stationPaths(deps.blobs ? deps.config.DATA_DIR : deps.store.dataDir, run.stationNo).root, 'models');
  mkdirSync(models, { recursive: true });
  const saved = join(models, `${run.id}.onnx`);
  copyFileSync(onnx, saved);
  const reason = result.done.reason;
  // An assist model replaces the current pre-labeler only when it wins on the same held-out
  // photos: more of them one tap through the product's proposal path, else a higher COCO
  // mAP@0.5:0.95 (core/proposal-quality.ts assistWins; train/adoption.ts).
  const verdict = run.kind === 'assist' ? await judgeAssist(deps, run.stationNo, { path: saved, id: run.id }, ev.evaluation.map50_95 ?? 0, val.length ? val : manifest.images) : undefined;
  const metrics = {
    ...ev.evaluation,
    deployedMap50: ev.deployedMap50,
    msPerImage: ev.msPerImage,
    evaluatedImages: ev.images,
    trainerBestValMap50: result.done.bestValMap50,
    reason,
    model: saved,
    ...(verdict ?? {}),
  };
  await writeFileAtomic(join(dir, 'metrics.ts.json'), JSON.stringify(metrics, null, 2));
  // Before the run is marked done: the web process serving a deploy finds the model in the bucket.
  await writeThrough(deps, [saved, dir], 'training run');
  deps.store.runs.update(run.id, { status: reason === 'stopped' ? 'stopped' : 'completed', metrics, finishedAt: Date.now() });
  await endProgress(deps, run, endedProgressText(run.id, progress, lang, device, t(lang, `train.reason.${reason}`)));
  if (verdict) {
    const values = {
      photos: verdict.proposals.photos,
      oneTap: verdict.proposals.oneTap,
      currentOneTap: verdict.incumbentProposals?.oneTap ?? 0,
      map5095: (ev.evaluation.map50_95 ?? 0).toFixed(3),
      current: (verdict.incumbentMap50_95 ?? 0).toFixed(3),
    };
    await say(deps, run.chatId, t(lang, verdict.adopted ? 'train.assistReady' : 'train.assistKept', values));
  } else {
    await say(deps, run.chatId, doneMessage(run.id, reason, ev.evaluation, deps.exam, lang, result.done.elapsedS, run.stationNo));
    await nudgeMilestones(deps, run.stationNo, run.chatId, lang, `run-${run.id}`);
  }
  return { kind: 'done', map50: ev.evaluation.map50 };
}

/** The progress message's last edit: how the run ended, no time left, no Stop button. */
async function endProgress(deps: WorkerDeps, run: Run, text: string): Promise<void> {
  if (run.chatId == null || run.progressMessageId == null) return;
  await deps.telegram
    .editMessageText(run.chatId, run.progressMessageId, undefined, text, { parse_mode: 'HTML' })
    .catch((err: unknown) => deps.log.warn({ run: run.id, err }, 'could not finish the progress message'));
}

/**
 * BullMQ gave up on a train job (attempts exhausted, or the worker died too often): the
 * run is marked failed, so the station is no longer busy, and the chat gets a Retry button.
 */
async function trainFailed(job: Job, err: Error, deps: WorkerDeps): Promise<void> {
  const p = trainJobSchema.safeParse(job.data);
  if (!p.success) return;
  const run = deps.store.runs.update(p.data.runId, { status: 'failed', error: truncate(err.message, 500), finishedAt: Date.now() }, { onlyIfStatus: ['queued', 'running'] });
  if (!run) return; // already finished (the processor told the chat itself)
  const lang: Lang = p.data.lang;
  await endProgress(deps, run, t(lang, 'train.outcome.failed'));
  if (run.kind === 'assist') return; // a background run: the contestant never asked for it
  await say(deps, run.chatId, t(lang, 'train.failed', { run: run.id, error: truncate(err.message, 300) }), retryButton(lang, run.id));
}

export const trainProcessor: Processor = {
  concurrency: (config) => config.TRAIN_CONCURRENCY,
  process: (job: Job, deps: WorkerDeps) => train(trainJobSchema.parse(job.data), deps),
  failed: trainFailed,
  /** Runs the database says are queued or running get their job again (same id: no duplicates; a failed copy is removed first). */
  async recover(deps: WorkerDeps) {
    for (const station of deps.store.stations.list()) {
      for (const kind of ['train', 'assist'] as const) {
        const run = deps.store.runs.active(station.stationNo, kind);
        if (!run) continue;
        const lang = deps.store.users.listByStation(station.stationNo)[0]?.lang ?? 'zh';
        const data: TrainJob = { stationNo: run.stationNo, runId: run.id, lang, ...(run.chatId != null ? { chatId: run.chatId } : {}) };
        await deps.jobs.requeue('train', data, { priority: kind === 'assist' ? 10 : 1 });
      }
    }
  },
};
