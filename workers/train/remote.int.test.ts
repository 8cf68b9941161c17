import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Telegram } from 'telegraf';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, PRESETS } from '../../core/index.js';
import { blobStoreFromConfig, runModelPath, stationPaths, type BlobStore } from '../../store/index.js';
import { memoryLogger, tempDataDir, testEnv, TEST_TOKEN } from '../../test/harness.js';
import { startS3rver } from '../../test/s3rver.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { deployedModel, ensureModelFile } from '../../web/invoke/model.js';
import { fetchRunOutputs, writeThrough } from '../blob-sync.js';
import { stage2Data } from '../report/stage2-data.js';
import type { JobQueue } from '../../queue/index.js';
import type { WorkerDeps } from '../processors.js';
import { trainProcessor } from './processor.js';

/**
 * A training host without the exam hall's filesystem: the hall (its own DATA_DIR) writes its
 * photos through to a real S3-compatible server (s3rver, its own process); a train worker whose
 * DATA_DIR starts empty — sharing only the database, as PostgreSQL would let it — fetches them,
 * runs the REAL Python trainer (one short epoch), and writes the model and run folder through;
 * the web side then loads the deployed model from the bucket.
 */
const server = await startS3rver('copilot-train');

describe.skipIf(!server)('training on a host without the shared filesystem (s3rver)', () => {
  const hall = testEnv();
  const gpuHost = tempDataDir('train-host-');
  const { log, lines } = memoryLogger('train-host');
  const s3Env = server?.env ?? {};
  const hallConfig = loadConfig({ DATA_DIR: hall.dataDir, TELEGRAM_BOT_TOKEN: TEST_TOKEN, ...s3Env });
  const blobs = blobStoreFromConfig(hallConfig) as BlobStore;
  // No chat id on these runs: the processor sends nothing; no queue calls on the train path.
  const trainDeps = (dataDir: string): WorkerDeps => ({
    config: loadConfig({ DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: TEST_TOKEN, TRAINER_DEVICE: 'cpu', ...s3Env }),
    exam: hall.exam,
    store: hall.store,
    log,
    telegram: {} as Telegram,
    jobs: {} as JobQueue,
    blobs,
  });

  afterAll(async () => {
    hall.cleanup();
    gpuHost.cleanup();
    await server?.stop();
  });

  it('fetches the photos it lacks, trains for real, writes the outputs through; the web side loads the deployed model from the bucket', async () => {
    await seedConfirmedStation(hall, 'G01', 7001, 8, '11010519900307125');
    const photos = hall.store.labels.listConfirmed('G01').map((c) => c.photo.imagePath ?? '');
    expect(photos).toHaveLength(8);
    // What the ingest worker does for each accepted photo.
    const keys = await writeThrough({ blobs, log, config: hallConfig }, photos, 'photo');
    expect(keys).toEqual(photos.map((p) => `stations/G01/images/${p.split('/').pop() ?? ''}`));
    expect(readdirSync(gpuHost.dir)).toEqual([]);

    const created = hall.store.runs.create({ stationNo: 'G01', kind: 'train', params: { ...PRESETS.fast, epochs: 1, batch: 4, timeBudgetS: 0, imgSize: 224 }, chatId: null });
    if (created.kind !== 'created') throw new Error('run not created');
    const run = created.run;
    const result = (await trainProcessor.process({ data: { stationNo: 'G01', runId: run.id, lang: 'en' } } as Job, trainDeps(gpuHost.dir))) as { kind: string };
    expect(result.kind, lines.join('')).toBe('done');

    // The train host got every photo, byte for byte, into its own DATA_DIR, and trained on those copies.
    const hostImages = stationPaths(gpuHost.dir, 'G01').images;
    for (const p of photos) expect(readFileSync(join(hostImages, p.split('/').pop() ?? ''))).toEqual(readFileSync(p));
    const hostRun = join(stationPaths(gpuHost.dir, 'G01').runs, run.id);
    const manifest = JSON.parse(readFileSync(join(hostRun, 'manifest.json'), 'utf8')) as { images: Array<{ path: string }> };
    expect(manifest.images.every((i) => i.path.startsWith(hostImages))).toBe(true);
    expect(lines.join('')).toContain('fetched files this host did not have');

    // The outputs are on the train host and in the bucket, not on the hall's disk (no shared filesystem).
    const after = hall.store.runs.get(run.id);
    expect(after?.status).toBe('completed');
    const hostModel = runModelPath(gpuHost.dir, 'G01', run.id);
    expect(existsSync(hostModel)).toBe(true);
    const hallModel = runModelPath(hall.dataDir, 'G01', run.id);
    expect(existsSync(hallModel)).toBe(false);
    const inBucket = await blobs.list(`stations/G01/`);
    expect(inBucket).toContain(`stations/G01/models/${run.id}.onnx`);
    for (const f of ['model.onnx', 'best.pt', 'metrics.json', 'metrics.ts.json', 'manifest.json']) expect(inBucket).toContain(`stations/G01/runs/${run.id}/${f}`);

    // The web process on the hall: the deployed model is missing locally and comes from the bucket.
    expect(hall.store.runs.setDeployed(run.id).kind).toBe('deployed');
    const deployed = deployedModel(hall.store, 'G01');
    if (!deployed) throw new Error('nothing deployed');
    expect(await ensureModelFile(hall.store, undefined, deployed)).toBe(false); // without S3: nowhere
    expect(await ensureModelFile(hall.store, blobs, deployed)).toBe(true);
    expect(readFileSync(hallModel)).toEqual(readFileSync(hostModel));

    // The report worker on the hall: the run folder comes from the bucket, the manifest points at the hall's photos.
    const hallRunDir = join(stationPaths(hall.dataDir, 'G01').runs, run.id);
    expect(existsSync(join(hallRunDir, 'metrics.json'))).toBe(false);
    const hallDeps = { blobs, log, config: hallConfig };
    await fetchRunOutputs(hallDeps, run);
    expect(readFileSync(join(hallRunDir, 'metrics.json'))).toEqual(readFileSync(join(hostRun, 'metrics.json')));
    const data = await stage2Data(hall.store, hall.exam, hallConfig, hall.store.runs.get(run.id) ?? run);
    expect(data.epochs.length).toBeGreaterThan(0);
    expect(data.valGrid.length).toBeGreaterThan(0);
    expect(data.valGrid.length).toBe(manifest.images.filter((i) => (i as { split?: string }).split === 'val').slice(0, 6).length);
  }, 400_000); // a real (one-epoch) trainer run; slow only on a loaded CPU

  it('fails the run, naming the photos, when the bucket lacks one (nothing trains on a partial dataset)', async () => {
    const emptyHost = tempDataDir('train-host2-');
    try {
      const missing = 'stations/G01/images/' + (hall.store.labels.listConfirmed('G01')[0]?.photo.imagePath?.split('/').pop() ?? '');
      await blobs.delete(missing);
      const created = hall.store.runs.create({ stationNo: 'G01', kind: 'train', params: { ...PRESETS.fast, epochs: 1, batch: 4, timeBudgetS: 0, imgSize: 224 }, chatId: null });
      if (created.kind !== 'created') throw new Error('run not created');
      const result = (await trainProcessor.process({ data: { stationNo: 'G01', runId: created.run.id, lang: 'en' } } as Job, trainDeps(emptyHost.dir))) as { kind: string; error?: string };
      expect(result.kind).toBe('failed');
      const run = hall.store.runs.get(created.run.id);
      expect(run?.status).toBe('failed');
      expect(run?.error).toContain(`1 photo(s) missing from the object store: ${missing}`);
      expect(existsSync(join(stationPaths(emptyHost.dir, 'G01').runs, created.run.id, 'model.onnx'))).toBe(false);
    } finally {
      emptyHost.cleanup();
    }
  });
});

if (!server) console.warn('SKIP: workers/train/remote.int.test.ts — s3rver could not start (the line above says why)');
