import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, stringify } from 'yaml';
import type { Lang, Logger } from '../../core/index.js';
import { loadExamConfigFile, openStore, stationPaths } from '../../store/index.js';
import { startProduct, type RunningProduct } from '../product.js';
import { freePort } from '../redis-local.js';
import { realGaugePhotos, runContestant, type DemoResult, type DemoStep } from './contestant.js';

/** The marker that says a folder is a demo's own, so a later demo may start it afresh. */
const MARKER = '.trainer-copilot-demo';

export interface DemoRun {
  product: RunningProduct;
  result: DemoResult;
  station: string;
  userId: number;
  lang: Lang;
  dataDir: string;
  seconds: number;
}

export interface RunDemoOptions {
  dataDir: string;
  lang: Lang;
  /** `/train` arguments. */
  train: string;
  /** A small plan (2 photos per combo, 2 confirmed per class to train): the suite's end-to-end test. */
  quick?: boolean;
  /** Extra environment for the product (a test's Redis and queue prefix). */
  env?: Record<string, string>;
  log: Logger;
  onStep?: (s: DemoStep) => void;
  /** Called once the product runs (so Ctrl+C during the demo can stop it). */
  onStarted?: (product: RunningProduct) => void;
}

/** Writes the demo's exam configuration (the default one, or a small plan for `quick`) and returns its path. */
function examConfig(dataDir: string, quick: boolean): string {
  const base = resolve('config/exam.yaml');
  if (!quick) return base;
  const cfg = parse(readFileSync(base, 'utf8')) as Record<string, unknown> & { labeling?: Record<string, unknown> };
  cfg.quotas = { '1': 2, '2': 2, '3': 2 };
  cfg.labeling = { ...cfg.labeling, minConfirmedPerClass: 2, assistAfterPerClass: 1000 };
  const path = join(dataDir, 'exam-quick.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

/**
 * Starts the product on a fresh data folder (free ports, its own redis-server unless the
 * env names one) and plays the whole exam as a scripted contestant on the local chat.
 * The product keeps running: the caller stops it (`run.product.stop()`).
 */
export async function runDemo(o: RunDemoOptions): Promise<DemoRun> {
  const dataDir = resolve(o.dataDir);
  if (existsSync(dataDir)) {
    if (!existsSync(join(dataDir, MARKER))) throw new Error(`${dataDir} exists and is not a demo folder; pick another with --data-dir`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, MARKER), 'made by npm run demo; removed by the next demo\n');
  const examPath = examConfig(dataDir, Boolean(o.quick));
  const env = {
    DATA_DIR: dataDir,
    EXAM_CONFIG: examPath,
    WEB_PORT: String(await freePort()),
    EMULATOR_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: '',
    // The scripted contestant taps faster than a person: the per-user rate limits would slow it down.
    RATE_MESSAGES_BURST: '10000',
    RATE_MESSAGES_PER_MIN: '100000',
    RATE_UPLOADS_BURST: '10000',
    RATE_UPLOADS_PER_MIN: '100000',
    ...o.env,
  };
  const t0 = performance.now();
  const product = await startProduct({ env, log: o.log, childLog: join(dataDir, 'processes.log') });
  o.onStarted?.(product);
  try {
    const emu = product.emulator;
    if (!emu) throw new Error('the demo needs local mode (no TELEGRAM_BOT_TOKEN)');
    await emu.waitForCall('getUpdates', { timeoutMs: 60_000 });
    await waitForHttp(`${product.webUrl}/healthz`, 60_000);
    const exam = loadExamConfigFile(examPath);
    const store = openStore({ dataDir });
    const station = 'A07';
    const userId = 8_000_001;
    try {
      const result = await runContestant({
        emu,
        store,
        exam,
        webUrl: product.webUrl,
        lang: o.lang,
        userId,
        station,
        train: o.train,
        realPhotos: realGaugePhotos(resolve('../shared/data/real-gauges'), 2),
        ...(o.onStep ? { onStep: o.onStep } : {}),
        timeoutMs: 120_000,
      });
      return { product, result, station, userId, lang: o.lang, dataDir, seconds: (performance.now() - t0) / 1000 };
    } finally {
      store.close();
    }
  } catch (err) {
    await product.stop();
    throw err;
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Where each artifact of the exam lies, for the summary (only those that exist). */
export function artifacts(dataDir: string, station: string): Array<[string, string]> {
  const p = stationPaths(dataDir, station);
  const list: Array<[string, string]> = [
    ['processed photos', p.images],
    ['dataset zip (YOLO, COCO, VOC)', join(p.root, 'exports', `${station}.zip`)],
    ['stage-one report', join(p.root, 'reports', 'stage1.pdf')],
    ['models', join(p.root, 'models')],
    ['stage-two report', join(p.root, 'reports', 'stage2.pdf')],
    ['hand-in folder', join(p.root, 'handin')],
  ];
  return list.filter(([, path]) => existsSync(path));
}
