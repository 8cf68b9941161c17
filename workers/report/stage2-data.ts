import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { InvariantError, isCopyKey, t, type Config, type ExamConfig } from '../../core/index.js';
import type { ParamRow, ReportPhoto, ReportPrediction, ServiceInfo, Stage2ReportData } from '../../reports/index.js';
import { stationPaths, type Run, type Store } from '../../store/index.js';
import { getDetector } from '../../vision/index.js';
import type { ManifestImage } from '../train/manifest.js';
import { datasetImports, reportClasses } from './stage1-data.js';
import { scaleBoxes, thumbnail } from './thumbs.js';

/** Val photos shown with their predictions in the report's grid. */
const GRID = 6;
/** Detect calls timed for the service latency line. */
const LATENCY_SAMPLES = 20;

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function readJson(path: string): Json | null {
  try {
    return obj(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * The run the stage-two report is about: the deployed one when the station has
 * deployed a model, else its completed training run with the best mAP@0.5.
 */
export function reportRun(store: Store, stationNo: string): Run | undefined {
  const deployed = store.runs.deployed(stationNo);
  if (deployed) return deployed;
  const done = store.runs.list(stationNo).filter((r) => r.kind === 'train' && r.status === 'completed' && r.metrics);
  return done.sort((a, b) => (num(b.metrics?.map50) ?? -1) - (num(a.metrics?.map50) ?? -1))[0];
}

/** The onnxruntime-node version this process evaluates and serves with. */
function onnxruntimeVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = obj(require('onnxruntime-node/package.json'));
    return typeof pkg.version === 'string' ? pkg.version : '?';
  } catch {
    return '?';
  }
}

function paramValue(v: unknown): string {
  if (v === null || v === undefined) return 'auto';
  if (typeof v === 'string') return v.includes('/') ? basename(v) : v;
  return String(v);
}

/** Per-epoch loss and val mAP@0.5: the trainer's metrics.json history, else its progress.jsonl. */
function epochCurve(metricsJson: Json | null, dir: string): Stage2ReportData['epochs'] {
  let events = arr(metricsJson?.history).map(obj);
  if (events.length === 0 && existsSync(join(dir, 'progress.jsonl'))) {
    events = readFileSync(join(dir, 'progress.jsonl'), 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          return [obj(JSON.parse(line))];
        } catch {
          return [];
        }
      })
      .filter((e) => e.type === 'epoch');
  }
  return events.flatMap((e) => {
    const epoch = num(e.epoch);
    const loss = num(e.loss);
    return epoch === null || loss === null ? [] : [{ epoch, loss, valMap50: num(e.valMap50) }];
  });
}

/** The service URL of a station: PUBLIC_URL when set, else the web process's host and port. */
export function serviceUrl(config: Config, stationNo: string): string {
  const base = config.PUBLIC_URL ?? `http://${config.WEB_HOST}:${config.WEB_PORT}`;
  return `${base.replace(/\/+$/, '')}/api/v1/stations/${stationNo}/detect`;
}

async function decode(path: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path).resize(640, 640, { fit: 'inside', withoutEnlargement: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Everything the stage-two report prints for `run`: the dataset from the run's
 * manifest, parameters with their meanings (core/copy `param.*`), environment, the
 * trainer's per-epoch history, the TypeScript evaluation stored on the run (per-class
 * AP, PR curves, confusion matrix), a grid of val photos through the run's ONNX model,
 * and — when deployed — the service URL with detect latency measured here.
 */
export async function stage2Data(store: Store, exam: ExamConfig, config: Config, run: Run, now = Date.now()): Promise<Stage2ReportData> {
  const station = store.stations.get(run.stationNo);
  if (!station) throw new InvariantError(`station ${run.stationNo} is not registered; a report job needs a registered station`);
  const keyOf = (classId: number) => exam.classes.find((c) => c.id === classId)?.key ?? String(classId);
  const metrics = obj(run.metrics);
  const metricsJson = readJson(join(run.dir, 'metrics.json'));
  const manifest = readJson(join(run.dir, 'manifest.json'));
  const images = arr(manifest?.images) as ManifestImage[];
  const val = images.filter((i) => i.split === 'val');

  const params: ParamRow[] = Object.entries(run.params).map(([name, value]) => {
    const key = `param.${name}`;
    return { name, value: paramValue(value), meaning: isCopyKey(key) ? { zh: t('zh', key), en: t('en', key) } : { zh: name, en: name } };
  });

  const versions = obj(metricsJson?.versions);
  const device = typeof run.progress?.device === 'string' ? run.progress.device : typeof metricsJson?.device === 'string' ? metricsJson.device : 'cpu';
  const trainSeconds = num(metricsJson?.elapsedS) ?? (run.startedAt && run.finishedAt ? (run.finishedAt - run.startedAt) / 1000 : 0);

  const perClass = arr(metrics.perClass).map(obj).map((c) => ({
    classKey: keyOf(num(c.classId) ?? -1),
    ap50: num(c.ap50) ?? 0,
    ap5095: num(c.ap50_95) ?? 0,
    precision: num(c.precision) ?? 0,
    recall: num(c.recall) ?? 0,
  }));
  const prCurves = arr(metrics.pr).map(obj).map((c) => ({
    classKey: keyOf(num(c.classId) ?? -1),
    points: arr(c.points).map(obj).map((p) => ({ recall: num(p.recall) ?? 0, precision: num(p.precision) ?? 0 })),
  }));
  const matrix = arr(metrics.confusion).map((row) => arr(row).map((v) => num(v) ?? 0));

  const modelRel = `stations/${run.stationNo}/models/${run.id}.onnx`;
  const modelPath = [typeof metrics.model === 'string' ? metrics.model : '', join(stationPaths(store.dataDir, run.stationNo).root, 'models', `${run.id}.onnx`), join(run.dir, 'model.onnx')].find((p) => p && existsSync(p));
  const valGrid: { photo: ReportPhoto; predictions: ReportPrediction[] }[] = [];
  let service: ServiceInfo | null = null;
  if (modelPath) {
    const detector = await getDetector(modelPath);
    const times: number[] = [];
    for (const im of val.slice(0, GRID)) {
      if (!existsSync(im.path)) continue;
      const raw = await decode(im.path);
      const t0 = performance.now();
      const found = await detector.detect({ data: raw.data, width: raw.width, height: raw.height, channels: 3 }, { sourceSize: { width: im.width, height: im.height } });
      times.push(performance.now() - t0);
      const photo = await thumbnail(im.path, basename(im.path), im.boxes.map((b) => ({ classKey: keyOf(b.classId), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })));
      const predictions: ReportPrediction[] = scaleBoxes(
        found.map((d) => ({ classKey: keyOf(d.classId), score: d.score, x1: d.box.x1, y1: d.box.y1, x2: d.box.x2, y2: d.box.y2 })),
        { width: im.width, height: im.height },
        photo,
      );
      valGrid.push({ photo, predictions });
    }
    if (run.deployedAt !== null && val[0] && existsSync(val[0].path)) {
      const raw = await decode(val[0].path);
      while (times.length < LATENCY_SAMPLES) {
        const t0 = performance.now();
        await detector.detect({ data: raw.data, width: raw.width, height: raw.height, channels: 3 });
        times.push(performance.now() - t0);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
      const url = serviceUrl(config, run.stationNo);
      service = { url, apiExample: `curl -X POST -H "Authorization: Bearer $KEY" --data-binary @meter.jpg \\\n  "${url}?score=0.5"`, p50Ms: at(0.5), p95Ms: at(0.95) };
    }
  }

  const imports = datasetImports(store, run.stationNo);
  return {
    station: run.stationNo,
    contestantName: station.contestantName,
    maskedId: station.idMasked,
    generated: new Date(now).toISOString(),
    dataset: {
      name: run.stationNo,
      imported: imports.length > 0,
      imports,
      classes: reportClasses(exam),
      photos: images.length,
      boxes: images.reduce((s, i) => s + i.boxes.length, 0),
      train: images.length - val.length,
      val: val.length,
    },
    runName: run.id,
    modelPath: modelRel,
    params,
    environment: {
      device,
      torch: typeof versions.torch === 'string' ? versions.torch : 'not recorded',
      torchvision: typeof versions.torchvision === 'string' ? versions.torchvision : 'not recorded',
      onnxruntime: onnxruntimeVersion(),
      trainSeconds,
    },
    epochs: epochCurve(metricsJson, run.dir),
    metrics: { map50: num(metrics.map50) ?? 0, map5095: num(metrics.map50_95) ?? 0, perClass },
    prCurves,
    confusion: { classKeys: exam.classes.map((c) => c.key), matrix },
    valGrid,
    service,
  };
}
