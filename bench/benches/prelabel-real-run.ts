/**
 * The product steps the `prelabel-real` bench drives: pre-labelling photos through the chat,
 * training a station model from confirmed photos with the real train worker, and a same-rig
 * sequence confirmed photo by photo as a contestant would.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { createLogger, PRESETS, type ExamConfig, type ProposalQuality } from '../../core/index.js';
import sharp from 'sharp';
import { stationPaths } from '../../store/index.js';
import { loadDetector } from '../../vision/index.js';
import { startWorkers } from '../../workers/run.js';
import { percentile } from '../metric.js';
import { seedStations, startStack, type BenchStack } from '../env.js';
import type { TruthPhoto } from './prelabel-real-data.js';
import { scorePhoto, type PhotoScore } from './prelabel-score.js';

const silent = () => createLogger({ name: 'bench', level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exam with quotas no bench sequence fills; `permissive` also lets every photo past cleaning (pre-labels alone are measured). */
export function benchExam(exam: ExamConfig, permissive: boolean): ExamConfig {
  const quotas = Object.fromEntries(Object.keys(exam.quotas).map((k) => [k, 10_000]));
  const cleaning = permissive
    ? { ...exam.cleaning, minWidth: 1, minHeight: 1, minSharpness: 0, minMeanLuma: 0, maxMeanLuma: 255, maxClippedFraction: 1, minHighlightLuma: 0, maxShadowLuma: 255, nearDuplicateDistance: 0 }
    : exam.cleaning;
  return { ...exam, quotas, cleaning };
}

async function withWorkers<T>(stack: BenchStack, model: string | undefined, fn: () => Promise<T>): Promise<T> {
  const workers = await startWorkers({ config: stack.config, exam: stack.exam, store: stack.store, log: silent(), ...(model ? { baseModel: model } : {}) });
  try {
    return await fn();
  } finally {
    await workers.close();
  }
}

/** What pre-labelling a set of photos gave: per-photo scores, photo → preview latency, previews shown unsure. */
export interface Measured {
  scores: PhotoScore[];
  latencyMs: number[];
  unsure: boolean[];
  /** The detector alone on each photo (decoded beforehand), as the ingest worker calls it. */
  detectMs: number[];
}

/** Sends every photo through the chat to a fresh station pre-labelled by `model`; reads the stored proposal of each. */
export async function measureModel(model: string, photos: readonly TruthPhoto[], exam: ExamConfig): Promise<Measured> {
  const stack = await startStack({ WORKER_QUEUES: 'ingest' }, { exam: benchExam(exam, true) });
  try {
    const [user] = seedStations(stack.store, 1);
    const u = stack.emu.user(user ?? 0, { languageCode: 'en' });
    return await withWorkers(stack, model, async () => {
      const out: Measured = { scores: [], latencyMs: [], unsure: [], detectMs: [] };
      for (const p of photos) {
        const t0 = performance.now();
        await u.sendPhoto(p.jpeg, { caption: p.combo.join('+') });
        const m = await u.nextMessage({ timeoutMs: 60_000 });
        out.latencyMs.push(performance.now() - t0);
        const id = Number(/#(\d+)/.exec(m.caption ?? m.text ?? '')?.[1]);
        out.scores.push(scorePhoto(stack.store.labels.latest(id)?.boxes ?? [], p.boxes, p.ignore));
        out.unsure.push((m.caption ?? '').includes('🤔'));
      }
      out.detectMs.push(...(await detectorTimes(model, photos)));
      return out;
    });
  } finally {
    await stack.close();
  }
}

/** Milliseconds of `detect` per photo (the model loaded and warmed up first; decoding not counted). */
async function detectorTimes(model: string, photos: readonly TruthPhoto[]): Promise<number[]> {
  const detector = await loadDetector(model);
  try {
    const times: number[] = [];
    for (const [i, p] of [photos[0], ...photos].entries()) {
      if (!p) continue;
      const { data, info } = await sharp(p.jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const t0 = performance.now();
      await detector.detect({ data, width: info.width, height: info.height, channels: 3 }, { sourceSize: { width: p.width, height: p.height } });
      if (i > 0) times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await detector.close();
  }
}

function seedConfirmed(stack: BenchStack, station: string, userId: number, photos: readonly TruthPhoto[]): void {
  const dir = stationPaths(stack.store.dataDir, station).images;
  mkdirSync(dir, { recursive: true });
  const classes = (p: TruthPhoto) => [...new Set(p.combo.map((k) => stack.exam.classes.find((c) => c.key === k)?.id ?? 0))].sort((a, b) => a - b).join('+');
  photos.forEach((p, i) => {
    const { photo } = stack.store.photos.receive({ stationNo: station, tgFileId: `k${i}`, tgFileUniqueId: `ku${i}`, source: 'photo', mediaGroupId: null, chatId: userId, messageId: i + 1, combo: classes(p) });
    const path = join(dir, `${photo.id}.jpg`);
    writeFileSync(path, p.jpeg);
    stack.store.photos.complete(photo.id, { status: 'clean', sha256: `${p.name}`, phash: null, format: 'jpeg', width: p.width, height: p.height, sharpness: null, meanLuma: null, darkFraction: null, brightFraction: null, rawPath: path, imagePath: path });
    const v = stack.store.labels.addVersion(photo.id, { kind: 'label', author: userId, boxes: p.boxes.map((b) => ({ ...b, source: 'human' as const })) });
    stack.store.labels.confirm(photo.id, v);
  });
}

async function waitRun(stack: BenchStack, runId: string, timeoutMs: number): Promise<NonNullable<ReturnType<BenchStack['store']['runs']['get']>>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = stack.store.runs.get(runId);
    if (run && ['completed', 'failed', 'stopped'].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} did not finish in ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/** A station model: an assist run (the assist preset, from the base checkpoint) of the real train worker on `photos`, confirmed. */
export interface StationModel {
  path: string;
  trainS: number;
  adopted: boolean;
  /** The product's adoption verdict, as one line. */
  verdict: string;
}

export async function trainStationModel(photos: readonly TruthPhoto[], exam: ExamConfig, base: string, keepDir: string, timeBudgetS?: number): Promise<StationModel> {
  const stack = await startStack({ WORKER_QUEUES: 'train' }, { exam: benchExam(exam, true) });
  try {
    const [user] = seedStations(stack.store, 1);
    seedConfirmed(stack, 'S001', user ?? 0, photos);
    const params = { ...PRESETS.assist, ...(timeBudgetS ? { timeBudgetS } : {}) };
    const created = stack.store.runs.create({ stationNo: 'S001', kind: 'assist', params, chatId: null });
    if (created.kind !== 'created') throw new Error('could not create the assist run');
    const t0 = performance.now();
    const run = await withWorkers(stack, base, async () => {
      await stack.jobs.enqueue('train', { stationNo: 'S001', runId: created.run.id, lang: 'en' }, { priority: 10 });
      return waitRun(stack, created.run.id, 30 * 60_000);
    });
    if (run.status !== 'completed') throw new Error(`assist run ${run.id} ${run.status}: ${run.error ?? ''}`);
    mkdirSync(keepDir, { recursive: true });
    const path = join(keepDir, `${run.id}-k${photos.length}.onnx`);
    copyFileSync(join(stationPaths(stack.store.dataDir, 'S001').root, 'models', `${run.id}.onnx`), path);
    const m = run.metrics ?? {};
    return { path, trainS: (performance.now() - t0) / 1000, adopted: m.adopted === true, verdict: adoptionLine(m) };
  } finally {
    await stack.close();
  }
}

/** One photo of a same-rig sequence, as the contestant met it. */
export interface SequenceStep {
  /** Which model proposed ('base' or the station's run id); 'rejected' when cleaning refused the photo. */
  model: string;
  rejectReason?: string;
  score?: PhotoScore;
  /** Taps to a confirmed label: 1 for a one-tap Confirm; else open the editor, one per correction, save. */
  taps: number;
}

/**
 * Sends `views` in order to one station with the real cleaning, the real pre-labels and the
 * real assist loop (bot: the assist run starts after a Confirm, as in the product; worker:
 * trains, adopts only a model that wins). A one-tap proposal is confirmed with its button;
 * any other gets its true boxes saved as the box editor saves them (a confirmed human label).
 * Before each photo the bench waits for a running assist run: the contestant is assumed slower
 * than the training (an upper bound of what the assist can do in the hall). A photo cleaning
 * refuses (a near duplicate of an earlier view) is retaken: the next view is sent, until
 * `accepted` photos got in or the views run out.
 */
export async function runSequence(views: readonly TruthPhoto[], accepted: number, exam: ExamConfig, base: string, log: (line: string) => void): Promise<SequenceStep[]> {
  const stack = await startStack({ WORKER_QUEUES: 'ingest,train' }, { exam: benchExam(exam, false) });
  try {
    const [user] = seedStations(stack.store, 1);
    const userId = user ?? 0;
    const u = stack.emu.user(userId, { languageCode: 'en' });
    return await withWorkers(stack, base, async () => {
      const steps: SequenceStep[] = [];
      for (const [i, view] of views.entries()) {
        if (steps.filter((x) => x.score).length >= accepted) break;
        for (const r of stack.store.runs.list('S001')) if (r.status === 'queued' || r.status === 'running') await waitRun(stack, r.id, 30 * 60_000);
        await u.sendPhoto(view.jpeg, { caption: view.combo.join('+') });
        const photo = await waitPhoto(stack, i + 1);
        if (photo.status === 'rejected') {
          steps.push({ model: 'rejected', rejectReason: photo.rejectReason ?? '', taps: 0 });
          log(`${view.name}: rejected by cleaning (${photo.rejectReason ?? ''})`);
          continue;
        }
        const latest = stack.store.labels.latest(photo.id);
        const score = scorePhoto(latest?.boxes ?? [], view.boxes);
        const model = latest?.modelId ?? 'none';
        if (score.isOneTap) {
          await u.press(/Confirm/, { messageId: photo.previewMessageId ?? undefined });
          await u.waitForMessage(photo.previewMessageId ?? 0, (m) => (m.caption ?? '').includes('Label confirmed'), { timeoutMs: 30_000 });
        } else {
          const v = stack.store.labels.addVersion(photo.id, { kind: 'label', author: userId, boxes: view.boxes.map((b) => ({ ...b, source: 'human' as const })) });
          stack.store.labels.confirm(photo.id, v);
        }
        const taps = score.isOneTap ? 1 : 2 + score.corrections;
        steps.push({ model, score, taps });
        log(`${view.name}: ${model} · ${score.isOneTap ? 'one tap' : `${score.corrections} correction(s)`} · IoU ${score.ious.map((x) => x.toFixed(2)).join('/') || '-'}`);
      }
      for (const r of stack.store.runs.list('S001')) log(`${r.id}: ${adoptionLine(r.metrics ?? {})}`);
      return steps;
    });
  } finally {
    await stack.close();
  }
}

/** What the product's adoption test said of an assist run: held-out photos one tap, then val mAP@0.5:0.95, against the current pre-labeler. */
export function adoptionLine(m: Record<string, unknown>): string {
  const oneTap = (x: unknown) => {
    const p = x as ProposalQuality | null | undefined;
    return p ? `${p.oneTap}/${p.photos}` : '-';
  };
  const verdict = m.adopted === true ? 'adopted' : 'kept the current model';
  return `${verdict} · held-out photos one tap ${oneTap(m.proposals)} vs ${oneTap(m.incumbentProposals)} · val mAP50:95 ${Number(m.map50_95 ?? 0).toFixed(3)} vs ${Number(m.incumbentMap50_95 ?? 0).toFixed(3)}`;
}

/** The station's `n`th photo once judged and, when accepted, pre-labelled with its preview sent. */
async function waitPhoto(stack: BenchStack, n: number) {
  const until = Date.now() + 120_000;
  for (;;) {
    const p = stack.store.photos.list('S001').at(n - 1);
    if (p && p.previewMessageId !== null && (p.status === 'rejected' || stack.store.labels.latest(p.id))) return p;
    if (Date.now() > until) throw new Error(`photo ${n} was not judged in 120 s`);
    await sleep(100);
  }
}

/** Mean of a list (0 when empty). */
export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
export { percentile };
