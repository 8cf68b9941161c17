import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../core/index.js';
import type { Message, TestUser } from '../../emulator/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { startWorkers } from '../../workers/run.js';
import { metric, percentile, type Metric } from '../metric.js';
import { seedStations, startStack } from '../env.js';
import { killProcess, startProcess, until } from '../../test/processes.js';

/**
 * The exam hall under load (issue 16 point 3): S stations on the local chat, each a fast
 * contestant for a fixed number of minutes — send a photo (distinct bytes per station), wait
 * for its preview, tap Confirm, ask `/plan`, ask "what next?", with a think time between
 * actions — against the real bot (with its per-user rate limits in Redis), ingest workers and
 * Redis. Measures reply latency (text and buttons, p50/p95/p99), photo → preview p95 and
 * photos/s; afterwards every photo, box and answer is accounted for: one row per photo sent,
 * none left unchecked, every Confirm a confirmed label with the boxes the button promised,
 * every question one answer.
 */

export interface HallOptions {
  stations: number;
  minutes: number;
  /** Pause between one contestant's actions (ms). */
  thinkMs: number;
  width: number;
  height: number;
  /** Workers in the bench's own process (as the old burst did) instead of their own process, as deployed. */
  inProcess: boolean;
}

/** Actions in one contestant's cycle (photo, Confirm, /plan, a question), each followed by a think time. */
const CYCLE_THINKS = 4;
const NOTICE = /ahead of yours|前面大约还有/;
const PLAN = /Capture plan/;
const REJECTED = /❌ Photo #\d+ rejected/;

/** Synthetic photos are slow to render: kept in the OS temp folder between runs. */
async function photo(seed: number, width: number, height: number): Promise<Buffer> {
  const dir = join(tmpdir(), 'copilot-load-bench');
  const file = join(dir, `hall-${width}x${height}-${seed}.jpg`);
  try {
    return readFileSync(file);
  } catch {
    const p = await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width, height, quality: 85 });
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, p.jpeg);
    return p.jpeg;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StationTally {
  text: number[];
  button: number[];
  preview: number[];
  /** When each measured preview's photo was sent (ms since the bench's clock started). */
  previewSentAt: number[];
  photosSent: number;
  previews: number;
  rejected: number;
  confirms: number;
  boxesPromised: number;
  plans: number;
  questions: number;
  missing: number;
}

/** One fast contestant until `deadline`. Photos are rendered ahead, so rendering never counts. */
async function contestant(u: TestUser, images: () => Promise<Buffer>, t0: number, deadline: number, thinkMs: number): Promise<StationTally> {
  const s: StationTally = { text: [], button: [], preview: [], previewSentAt: [], photosSent: 0, previews: 0, rejected: 0, confirms: 0, boxesPromised: 0, plans: 0, questions: 0, missing: 0 };
  const after = (sent: Message, pred: (m: Message) => boolean) => (m: Message) => m.message_id > sent.message_id && pred(m);
  const isText = (m: Message): m is Message & { text: string } => typeof m.text === 'string';
  const timeoutMs = 60_000;
  while (performance.now() < deadline) {
    const img = await images();
    let t = performance.now();
    const sent = await u.sendPhoto(img);
    s.photosSent++;
    const got = await u
      .waitFor(after(sent, (m) => (m.photo !== undefined && !!m.reply_markup) || (isText(m) && REJECTED.test(m.text))), { timeoutMs })
      .catch(() => undefined);
    if (!got) s.missing++;
    else if (isText(got)) s.rejected++;
    else {
      s.preview.push(performance.now() - t);
      s.previewSentAt.push(t - t0);
      s.previews++;
      const confirm = got.reply_markup?.inline_keyboard.flat().find((b) => /Confirm \((\d+) box/.test(b.text));
      if (confirm) {
        await sleep(thinkMs);
        t = performance.now();
        const q = await u.press(confirm.text, { messageId: got.message_id });
        const answer = await u.callbackAnswer(q, { timeoutMs }).catch(() => undefined);
        if (answer) {
          s.button.push(performance.now() - t);
          s.confirms++;
          s.boxesPromised += Number(/Confirm \((\d+) box/.exec(confirm.text)?.[1] ?? 0);
        } else s.missing++;
      }
    }
    if (performance.now() >= deadline) break;
    await sleep(thinkMs);
    t = performance.now();
    const plan = await u.sendText('/plan');
    s.plans++;
    if (await u.waitFor(after(plan, (m) => isText(m) && PLAN.test(m.text)), { timeoutMs }).catch(() => undefined)) s.text.push(performance.now() - t);
    else s.missing++;
    await sleep(thinkMs);
    t = performance.now();
    const q = await u.sendText('what next?');
    s.questions++;
    const reply = await u.waitFor(after(q, (m) => isText(m) && !NOTICE.test(m.text) && !PLAN.test(m.text) && !REJECTED.test(m.text)), { timeoutMs }).catch(() => undefined);
    if (reply) s.text.push(performance.now() - t);
    else s.missing++;
    await sleep(thinkMs);
  }
  return s;
}

/**
 * The ingest workers: by default a `workers/main.ts` process of their own, as `npm start` and
 * the compose file run them, so their decoding and inference never share the bot's event loop.
 */
async function startHallWorkers(stack: Awaited<ReturnType<typeof startStack>>, inProcess: boolean): Promise<{ close(): Promise<void> }> {
  if (inProcess) return startWorkers({ config: stack.config, exam: stack.exam, store: stack.store, log: createLogger({ name: 'bench-workers', level: 'silent' }) });
  const c = stack.config;
  const proc = startProcess('workers/main.ts', {
    TELEGRAM_BOT_TOKEN: c.TELEGRAM_BOT_TOKEN ?? '',
    TELEGRAM_API_ROOT: c.TELEGRAM_API_ROOT,
    DATA_DIR: c.DATA_DIR,
    REDIS_URL: c.REDIS_URL ?? '',
    QUEUE_PREFIX: c.QUEUE_PREFIX,
    WORKER_QUEUES: 'ingest',
  });
  // The first start exports the base model (Python): minutes on a loaded machine, before the clock starts.
  await until(() => proc.output().includes('workers ready') || proc.child.exitCode !== null, 600_000, 'the workers process');
  if (proc.child.exitCode !== null) throw new Error(`the workers process exited: ${proc.output().slice(-2000)}`);
  return { close: () => killProcess(proc.child, 'SIGTERM') };
}

export async function runHall(o: HallOptions): Promise<Metric[]> {
  const stack = await startStack({ WORKER_QUEUES: 'ingest' }, { limiter: true });
  const workers = await startHallWorkers(stack, o.inProcess);
  const out: Metric[] = [];
  try {
    const ids = seedStations(stack.store, o.stations + 1);
    const users = ids.map((id) => {
      stack.store.users.setActiveCombo(id, '0+1+2');
      return stack.emu.user(id, { languageCode: 'en' });
    });
    // Warm-up (detector session, first decode) by one extra station, outside the figures.
    const warm = users.pop();
    await warm?.sendPhoto(await photo(29_999, o.width, o.height));
    await warm?.waitFor((m) => m.photo !== undefined, { timeoutMs: 120_000 });
    // Photos for the whole run, rendered before the clock starts (distinct bytes per station and photo).
    const perStation = Math.ceil((o.minutes * 60_000) / (3 * o.thinkMs)) + 2;
    const pools: Buffer[][] = [];
    for (let s = 0; s < o.stations; s++) {
      const row: Buffer[] = [];
      for (let i = 0; i < perStation; i++) row.push(await photo(30_000 + s * 1000 + i, o.width, o.height));
      pools.push(row);
    }
    const t0 = performance.now();
    const deadline = t0 + o.minutes * 60_000;
    const tallies = await Promise.all(
      users.map((u, s) => {
        let k = 0;
        const next = async () => pools[s]?.[k++] ?? photo(30_000 + s * 1000 + k, o.width, o.height);
        // Stagger the starts over one contestant's cycle (four actions, a think time after each):
        // a hall's first photos come over the time anyone's next ones do, not on one beat
        // (`--burst` measures everyone's photos at once).
        return sleep((s / o.stations) * CYCLE_THINKS * o.thinkMs).then(() => contestant(u, next, t0, deadline, o.thinkMs));
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    await sleep(2000);
    const all = <K extends 'text' | 'button' | 'preview' | 'previewSentAt'>(k: K) => tallies.flatMap((t) => t[k]);
    const sum = (k: keyof StationTally) => tallies.reduce((n, t) => n + (t[k] as number), 0);
    const text = all('text');
    const button = all('button');
    const preview = all('preview');
    const sentAt = all('previewSentAt');
    const firstCycleMs = CYCLE_THINKS * o.thinkMs;
    const startup = preview.filter((_, i) => (sentAt[i] ?? 0) < firstCycleMs);
    const steady = preview.filter((_, i) => (sentAt[i] ?? 0) >= firstCycleMs);
    out.push(metric(`stations × minutes (think ${o.thinkMs} ms, ${o.width}x${o.height}, workers ${o.inProcess ? 'in the bench process' : 'in their own process'}, ingest concurrency ${stack.config.INGEST_CONCURRENCY})`, o.stations * o.minutes, 'station-min'));
    out.push(metric('text replies measured', text.length, 'count'));
    out.push(metric('text reply p50', percentile(text, 50), 'ms'));
    out.push(metric('text reply p95', percentile(text, 95), 'ms', 500));
    out.push(metric('text reply p99', percentile(text, 99), 'ms'));
    out.push(metric('button presses measured', button.length, 'count'));
    out.push(metric('button answer p50', percentile(button, 50), 'ms'));
    out.push(metric('button answer p95', percentile(button, 95), 'ms', 500));
    out.push(metric('button answer p99', percentile(button, 99), 'ms'));
    out.push(metric('photo → preview p50', percentile(preview, 50) / 1000, 's'));
    out.push(metric('photo → preview p95', percentile(preview, 95) / 1000, 's', 2));
    out.push(metric(`photo → preview p95, photos sent in the first ${firstCycleMs / 1000} s (every station starting)`, percentile(startup, 95) / 1000, 's'));
    out.push(metric('photo → preview p95, photos sent after that', percentile(steady, 95) / 1000, 's'));
    out.push(metric('photos ingested', sum('previews') + sum('rejected'), 'count'));
    out.push(metric('throughput', (sum('previews') + sum('rejected')) / seconds, 'photos/s'));
    out.push(metric('photos rejected by cleaning', sum('rejected'), 'count'));

    // Accounting: rows, statuses and boxes in the store against what the contestants did.
    let rows = 0;
    let dup = 0;
    let stuck = 0;
    let confirmed = 0;
    let boxes = 0;
    for (let s = 0; s < o.stations; s++) {
      const station = `S${String(s + 1).padStart(3, '0')}`;
      const list = stack.store.photos.list(station);
      rows += list.length;
      dup += list.length - new Set(list.map((p) => p.tgFileUniqueId)).size;
      stuck += list.filter((p) => p.status === 'received').length;
      const labeled = stack.store.labels.listConfirmed(station);
      confirmed += labeled.length;
      boxes += labeled.reduce((n, c) => n + (stack.store.labels.confirmed(c.photo.id)?.length ?? 0), 0);
    }
    const sent = sum('photosSent');
    out.push(metric('replies missing (photo, button or text)', sum('missing'), 'count', 0));
    out.push(metric('photos lost (sent, no row)', Math.max(0, sent - rows), 'count', 0));
    out.push(metric('duplicate photo rows', dup + Math.max(0, rows - sent), 'count', 0));
    out.push(metric('photos stuck unchecked', stuck, 'count', 0));
    out.push(metric('confirms answered but not confirmed', Math.max(0, sum('confirms') - confirmed), 'count', 0));
    out.push(metric('boxes lost or added (confirmed vs promised)', Math.abs(boxes - sum('boxesPromised')), 'count', 0));
    out.push(metric('questions asked (/plan + what next?)', sum('plans') + sum('questions'), 'count'));
  } finally {
    await workers.close();
    await stack.close();
  }
  return out;
}
