import { mkdirSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, idCheckChar, loadConfig, signEditorLink } from '../../core/index.js';
import { ensureStationDirs, loadExamConfigFile, openStore, runModelPath } from '../../store/index.js';
import { closeDetectors, decodeForDetector, getDetector, inspectImage, type DetectorInputOk, type InspectOk } from '../../vision/index.js';
import { FIXTURE_MODEL } from '../../vision/detector/test-fixtures.js';
import { DEFAULT_CLASSES, planCombos, renderRigPhoto } from '../../vision/synth/index.js';
import { ensureBaseModel } from '../../workers/base-model.js';
import { killProcess, startProcess, until } from '../../test/processes.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';

/**
 * The invocation service over real HTTP on loopback (the real `web/main.ts` in its own
 * process), with 1 and 4 concurrent clients, against the same model in a bare
 * onnxruntime-node loop (vision's detector, in this process) in the same run. The
 * ratio of p95s is the service's overhead (upload, decode, JSON, HTTP); budget ≤ 2×.
 * Also: the box editor's photo GET, idle and while 4 clients call detect.
 */

const PHOTOS = 8;
const WARMUP = 4;
const PER_SCENARIO = 48;
const LIMITS = { maxBytes: 20 * 1024 * 1024, maxInputPixels: 40e6 };
const LINK_SECRET = 'bench-link-secret-0123456789abcdef';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Runs `n` calls of `fn` spread over `clients` concurrent loops; latencies in ms and calls per second. */
async function load(clients: number, n: number, fn: (i: number) => Promise<void>): Promise<{ ms: number[]; rps: number }> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, rps: (n * 1000) / (performance.now() - t0) };
}

export const bench: Bench = {
  name: 'invoke',
  description: 'invocation API p50/p95 and req/s (1 and 4 clients) vs the bare detector loop; editor photo GET under inference load',
  async run(): Promise<Metric[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-invoke-'));
    const config = loadConfig({ DATA_DIR: dir });
    const exam = loadExamConfigFile('config/exam.yaml');
    const log = createLogger({ name: 'bench', level: 'warn' });
    const base = await ensureBaseModel(config, exam, log);
    const model = base ?? FIXTURE_MODEL;
    const modelName = base ? 'base SSDLite' : 'fixture (base export failed)';
    const store = openStore({ dataDir: dir });
    store.stations.create({ stationNo: 'A01', contestantName: 'Bench', idNumber: `11010519900307123${idCheckChar('11010519900307123')}` });
    const issued = store.apiKeys.issue('A01');
    if (issued.kind !== 'issued') throw new Error('no key');
    const run = store.runs.create({ stationNo: 'A01', kind: 'train', params: {}, chatId: null }).run;
    store.runs.update(run.id, { status: 'completed', metrics: { map50: null } });
    const file = runModelPath(dir, 'A01', run.id);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(model, file);
    store.runs.setDeployed(run.id);

    const combos = planCombos(DEFAULT_CLASSES, PHOTOS, 5);
    const photos = await Promise.all(combos.map((combo, i) => renderRigPhoto({ seed: 500 + i, classes: DEFAULT_CLASSES, combo, width: 1280, height: 960 })));
    const inspected = (await Promise.all(photos.map((p) => inspectImage(p.jpeg, LIMITS)))).filter((r): r is InspectOk => r.kind === 'ok');
    // The bare loop's pixels: decoded once beforehand at the model's input size, so the loop is
    // onnxruntime (and the tensor copy) alone — no decode, no resize.
    const ready = (await Promise.all(photos.map((p) => decodeForDetector(p.jpeg, LIMITS)))).filter((r): r is DetectorInputOk => r.kind === 'ok');

    // A photo for the box editor, served by the same web process.
    const userId = 900_001;
    store.users.upsert({ userId, chatId: userId });
    store.users.bindStation(userId, 'A01', 'contestant');
    const photoId = store.photos.receive({ stationNo: 'A01', tgFileId: 'f1', tgFileUniqueId: 'u1', source: 'photo', mediaGroupId: null, chatId: userId, messageId: 1, combo: '0' }).photo.id;
    const imagePath = path.join(ensureStationDirs(dir, 'A01').images, `${photoId}.jpg`);
    writeFileSync(imagePath, photos[0]!.jpeg);
    store.photos.complete(photoId, {
      sha256: null, phash: null, format: 'jpeg', sharpness: null, meanLuma: null, darkFraction: null, brightFraction: null, rawPath: null,
      width: 1280, height: 960, imagePath, status: 'clean',
    });
    const token = signEditorLink({ secret: LINK_SECRET, stationNo: 'A01', photoId, userId, expiresAt: Date.now() + 3_600_000 });

    const out: Metric[] = [];
    const port = await freePort();
    const web = startProcess('web/main.ts', { DATA_DIR: dir, WEB_PORT: String(port), WEB_HOST: '127.0.0.1', LINK_SECRET, LOG_LEVEL: 'warn', REDIS_URL: '' });
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      // Bare loop: the same model file, vision's detector, pixels decoded once beforehand.
      const detector = await getDetector(file, { threads: 1 });
      const bareOnce = async (i: number): Promise<void> => {
        const p = ready[i % ready.length]!;
        await detector.detect(p.image, { sourceSize: { width: p.width, height: p.height } });
      };
      // The loop the service was first compared with: the 1280 px display copy, resized to the input in JS per call.
      const bareDisplay = async (i: number): Promise<void> => {
        const p = inspected[i % inspected.length]!;
        await detector.detect(p.display, { sourceSize: { width: p.width, height: p.height } });
      };
      await load(1, WARMUP, bareOnce);
      const bare1 = await load(1, PER_SCENARIO, bareOnce);
      const bare4 = await load(4, PER_SCENARIO, bareOnce);
      const bareDisplay1 = await load(1, PER_SCENARIO, bareDisplay);
      const decodeAndDetect = await load(1, PER_SCENARIO, async (i) => {
        const r = await inspectImage(photos[i % photos.length]!.jpeg, LIMITS);
        if (r.kind !== 'ok') throw new Error('decode');
        await detector.detect(r.display, { sourceSize: { width: r.width, height: r.height } });
      });
      // What the detect route decodes now: orientation and a resize straight to the model's input.
      const detectorDecodeAndDetect = await load(1, PER_SCENARIO, async (i) => {
        const r = await decodeForDetector(photos[i % photos.length]!.jpeg, LIMITS);
        if (r.kind !== 'ok') throw new Error('decode');
        await detector.detect(r.image, { sourceSize: { width: r.width, height: r.height } });
      });
      await closeDetectors();

      await until(() => fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false), 30_000, 'web process');
      const call = async (i: number): Promise<void> => {
        const res = await fetch(`${baseUrl}/api/v1/stations/A01/detect`, {
          method: 'POST',
          headers: { authorization: `Bearer ${issued.key}`, 'content-type': 'image/jpeg' },
          body: new Uint8Array(photos[i % photos.length]!.jpeg),
        });
        if (res.status !== 200) throw new Error(`detect answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      };
      const editorGet = async (): Promise<void> => {
        const res = await fetch(`${baseUrl}/editor/api/image?t=${encodeURIComponent(token)}`);
        if (res.status !== 200) throw new Error(`editor image answered ${res.status}`);
        await res.arrayBuffer();
      };
      await load(1, WARMUP, call);
      await load(1, 4, editorGet);
      const http1 = await load(1, PER_SCENARIO, call);
      const http4 = await load(4, PER_SCENARIO, call);
      const editorIdle = await load(1, 30, editorGet);
      // The editor's GETs while 4 clients keep the detector busy.
      let isLoaded = true;
      const busy = load(4, PER_SCENARIO, call).finally(() => (isLoaded = false));
      const editorBusy: number[] = [];
      while (isLoaded) {
        const t = performance.now();
        await editorGet();
        editorBusy.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      await busy;

      const p = (xs: number[], q: number): number => percentile(xs, q);
      out.push(
        metric(`model: ${modelName}, photos 1280×960 JPEG, onnxruntime threads 1`, 1, 'info'),
        metric('bare detector loop, 1 caller: p50', p(bare1.ms, 50), 'ms'),
        metric('bare detector loop, 1 caller: p95', p(bare1.ms, 95), 'ms'),
        metric('bare detector loop, 1 caller: calls/s', bare1.rps, '1/s'),
        metric('bare detector loop, 4 callers: p95', p(bare4.ms, 95), 'ms'),
        metric('bare detector loop, 4 callers: calls/s', bare4.rps, '1/s'),
        metric('bare detector loop on the 1280 px display copy (resized per call), 1 caller: p95', p(bareDisplay1.ms, 95), 'ms'),
        metric('bare decode (inspectImage) + detect, 1 caller: p95', p(decodeAndDetect.ms, 95), 'ms'),
        metric('bare detector decode (decodeForDetector) + detect, 1 caller: p95', p(detectorDecodeAndDetect.ms, 95), 'ms'),
        metric('HTTP detect, 1 client: p50', p(http1.ms, 50), 'ms'),
        metric('HTTP detect, 1 client: p95', p(http1.ms, 95), 'ms'),
        metric('HTTP detect, 1 client: req/s', http1.rps, '1/s'),
        metric('HTTP detect, 4 clients: p50', p(http4.ms, 50), 'ms'),
        metric('HTTP detect, 4 clients: p95', p(http4.ms, 95), 'ms'),
        metric('HTTP detect, 4 clients: req/s', http4.rps, '1/s'),
        metric('overhead, 1 client: HTTP p95 / bare p95', p(http1.ms, 95) / p(bare1.ms, 95), '×', 2),
        metric('overhead, 4 clients: HTTP p95 / bare p95 (4 callers)', p(http4.ms, 95) / p(bare4.ms, 95), '×', 2),
        metric('editor photo GET, idle: p95', p(editorIdle.ms, 95), 'ms'),
        metric(`editor photo GET while 4 clients call detect: p95 (n=${editorBusy.length})`, p(editorBusy, 95), 'ms', 100),
      );
    } finally {
      await killProcess(web.child, 'SIGTERM');
      await closeDetectors();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};
