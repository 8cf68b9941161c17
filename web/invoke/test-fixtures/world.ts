import { copyFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { memoryLogger, testEnv, validId } from '../../../test/harness.js';
import { runModelPath, type Store } from '../../../store/index.js';
import { FIXTURE_MODEL, FIXTURE_MODEL_ALT } from '../../../vision/detector/test-fixtures.js';
import { createWebServer } from '../../server.js';
import { editorRoutes } from '../../editor/index.js';
import { invokeRoutes, ModelCache, type InvokeLimits } from '../index.js';

/** What the invocation tests share: a served store with a deployed station and a bare one. */
export interface InvokeWorld {
  baseUrl: string;
  store: Store;
  dataDir: string;
  /** A01's API key (A01 has a deployed run, A01-r1, on the 7-box fixture model). */
  keyA: string;
  /** B02's API key (B02 has no deployed model). */
  keyB: string;
  /** A Telegram user bound to A01 (Mini App access with initData signed by TEST_TOKEN). */
  userA: number;
  /** A Telegram user bound to B02. */
  userB: number;
  logLines: string[];
  /** Adds a completed run on `model` and deploys it; returns the run id. */
  deploy(stationNo: string, model: string, metrics?: Record<string, unknown>): string;
  close(): Promise<void>;
}

export const LINK_SECRET = 'invoke-test-link-secret-0123456789';
export { FIXTURE_MODEL, FIXTURE_MODEL_ALT };

/** Metrics as the train worker stores them (core's DetectionEvaluation fields and more). */
export const RUN_METRICS = {
  map50: 0.8125,
  map50_95: 0.5412,
  precision: 0.9,
  recall: 0.75,
  perClass: [
    { classId: 0, ap50: 0.9, ap50_95: 0.6, gtCount: 10, detCount: 11, precision: 0.95, recall: 0.8 },
    { classId: 1, ap50: 0.7, ap50_95: 0.45, gtCount: 8, detCount: 9, precision: 0.85, recall: 0.7 },
    { classId: 2, ap50: 0.8375, ap50_95: 0.5736, gtCount: 12, detCount: 12, precision: 0.9, recall: 0.75 },
  ],
  confusion: [],
  pr: [],
  msPerImage: 12,
};

/** A JPEG of one colour, `width`×`height`; the fixture model's measured scores read its pixels. */
export function solidJpeg(width: number, height: number, rgb: [number, number, number] = [0, 0, 0]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).jpeg({ quality: 90 }).toBuffer();
}

/** Seeds two stations with keys, deploys the fixture model at A01, serves invocation + editor routes. */
export async function startInvokeWorld(limits: Partial<InvokeLimits> = { maxBytes: 400_000, maxPixels: 4_000_000 }): Promise<InvokeWorld> {
  const env = testEnv({ LINK_SECRET });
  const { store } = env;
  for (const stationNo of ['A01', 'B02']) store.stations.create({ stationNo, contestantName: '张三', idNumber: validId() });
  const issued = ['A01', 'B02'].map((s) => store.apiKeys.issue(s));
  const [a, b] = issued;
  const [userA, userB] = [7101, 7102];
  for (const [userId, stationNo] of [[userA, 'A01'], [userB, 'B02']] as const) {
    store.users.upsert({ userId, chatId: userId, lang: 'zh' });
    store.users.bindStation(userId, stationNo, 'contestant');
  }
  if (a?.kind !== 'issued' || b?.kind !== 'issued') throw new Error('keys not issued');
  const deploy = (stationNo: string, model: string, metrics: Record<string, unknown> = RUN_METRICS): string => {
    const created = store.runs.create({ stationNo, kind: 'train', params: { epochs: 1 }, chatId: null });
    const id = created.run.id;
    store.runs.update(id, { status: 'completed', metrics });
    const file = runModelPath(env.dataDir, stationNo, id);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(model, file);
    const r = store.runs.setDeployed(id);
    if (r.kind !== 'deployed') throw new Error(`deploy ${id}: ${r.kind}`);
    return id;
  };
  deploy('A01', FIXTURE_MODEL);
  const { log, lines } = memoryLogger('web');
  const deps = { config: env.config, exam: env.exam, store, log };
  const models = new ModelCache({ maxModels: 4, threads: 1 });
  const routes = [...invokeRoutes(deps, limits, { models }), ...editorRoutes({ ...deps, linkSecret: LINK_SECRET, onSaved: () => undefined })];
  const server = createWebServer(deps, routes);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    store,
    dataDir: env.dataDir,
    keyA: a.key,
    keyB: b.key,
    userA,
    userB,
    logLines: lines,
    deploy,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await models.close();
      env.cleanup();
    },
  };
}
