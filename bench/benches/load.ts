import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../core/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { startWorkers } from '../../workers/run.js';
import { median, metric, percentile, type Bench, type Metric } from '../metric.js';
import { seedStations, startStack } from '../env.js';
import { runHall } from './load-hall.js';

/**
 * Photo verdicts under load (issue 10 point 11): S stations each send P photos at once on
 * the local chat (default 50 × 10; distinct synthetic photos, a seed per station and
 * photo), with the real bot, ingest workers and Redis. Measures upload → verdict message
 * p50/p95, each station's median and their spread (the fairness figure), photos/s, and
 * afterwards that every photo is accounted for: one row each, none left `received`.
 *
 * Flags: `--stations=N`, `--photos=N` (per station), `--size=WxH` (default 640x480),
 * `--unfair` (first-come order, as before the fair queue, to compare).
 *
 * That burst is `--burst`; without it the bench is the exam hall of `load-hall.ts`:
 * `--stations=N` (default 100), `--minutes=M` (default 1), `--think=MS` (default 2000),
 * `--inproc` (workers in the bench's process rather than their own).
 */
function flag(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return hit === undefined ? undefined : (hit.split('=')[1] ?? '');
}

/** Synthetic photos are slow to render: kept in the OS temp folder between runs. */
async function photo(seed: number, width: number, height: number): Promise<Buffer> {
  const dir = join(tmpdir(), 'copilot-load-bench');
  const file = join(dir, `${width}x${height}-${seed}.jpg`);
  try {
    return readFileSync(file);
  } catch {
    const p = await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width, height, quality: 85 });
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, p.jpeg);
    return p.jpeg;
  }
}

const NOTICE = /ahead of yours|前面大约还有/;

export const bench: Bench = {
  name: 'load',
  description:
    'the exam hall: S stations (default 100) as fast contestants for M minutes (photo, Confirm, /plan, a question): reply p50/p95/p99, photo→preview p95, photos/s, every photo, box and answer accounted for; --burst: S × P photos at once',
  async run(): Promise<Metric[]> {
    if (flag('burst') === undefined) {
      const [w, h] = (flag('size') ?? '640x480').split('x').map(Number);
      return runHall({
        stations: Number(flag('stations') ?? 100),
        minutes: Number(flag('minutes') ?? 1),
        thinkMs: Number(flag('think') ?? 2000),
        width: w ?? 640,
        height: h ?? 480,
        inProcess: flag('inproc') !== undefined,
      });
    }
    const stations = Number(flag('stations') ?? 50);
    const perStation = Number(flag('photos') ?? 10);
    const [w, h] = (flag('size') ?? '640x480').split('x').map(Number);
    const fair = flag('unfair') === undefined;
    const width = w ?? 640;
    const height = h ?? 480;
    const total = stations * perStation;

    const images: Buffer[][] = [];
    for (let s = 0; s < stations; s++) {
      const row: Buffer[] = [];
      for (let i = 0; i < perStation; i++) row.push(await photo(20_000 + s * 100 + i, width, height));
      images.push(row);
    }

    const stack = await startStack({ WORKER_QUEUES: 'ingest' }, { fair });
    const log = createLogger({ name: 'bench-workers', level: 'silent' });
    const workers = await startWorkers({ config: stack.config, exam: stack.exam, store: stack.store, log });
    const out: Metric[] = [];
    try {
      const users = seedStations(stack.store, stations + 1).map((id) => {
        stack.store.users.setActiveCombo(id, '0+1+2');
        return stack.emu.user(id, { languageCode: 'en' });
      });
      // Warm-up (detector session, first decode) by one extra station, outside the figures.
      const warm = users.pop();
      await warm?.sendPhoto(await photo(19_999, width, height));
      await warm?.nextMessage({ timeoutMs: 120_000 });
      const t0 = performance.now();
      const perStationLatencies = await Promise.all(
        users.map(async (u, s) => {
          const start = performance.now();
          await Promise.all((images[s] ?? []).map((img) => u.sendPhoto(img)));
          const got: number[] = [];
          while (got.length < perStation) {
            const m = await u.nextMessage({ timeoutMs: 180_000 }).catch(() => undefined);
            if (!m) break;
            if (NOTICE.test(m.text ?? '')) continue;
            got.push(performance.now() - start);
          }
          return got;
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const all = perStationLatencies.flat();
      const medians = perStationLatencies.filter((l) => l.length > 0).map((l) => median(l));
      out.push(metric(`stations × photos (${width}x${height}, ${fair ? 'fair' : 'first-come'} order, concurrency ${stack.config.INGEST_CONCURRENCY})`, total, 'photos'));
      out.push(metric('upload→verdict p50', percentile(all, 50) / 1000, 's'));
      out.push(metric('upload→verdict p95', percentile(all, 95) / 1000, 's'));
      out.push(metric('station median, fastest', Math.min(...medians) / 1000, 's'));
      out.push(metric('station median, slowest', Math.max(...medians) / 1000, 's'));
      out.push(metric('spread of station medians (max−min)', (Math.max(...medians) - Math.min(...medians)) / 1000, 's'));
      out.push(metric('throughput', all.length / seconds, 'photos/s'));

      // Every photo accounted for: one row per photo sent, none stuck unchecked.
      let rows = 0;
      let stuck = 0;
      let dup = 0;
      for (let s = 0; s < stations; s++) {
        const list = stack.store.photos.list(`S${String(s + 1).padStart(3, '0')}`);
        rows += list.length;
        stuck += list.filter((p) => p.status === 'received').length;
        dup += list.length - new Set(list.map((p) => p.tgFileUniqueId)).size;
      }
      out.push(metric('verdicts missing', total - all.length, 'count', 0));
      out.push(metric('photos lost (no row)', Math.max(0, total - rows), 'count', 0));
      out.push(metric('duplicate rows', dup + Math.max(0, rows - total), 'count', 0));
      out.push(metric('stuck received', stuck, 'count', 0));
    } finally {
      await workers.close();
      await stack.close();
    }
    return out;
  },
};
