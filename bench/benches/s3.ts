import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../core/index.js';
import { blobStoreFromConfig } from '../../store/index.js';
import { tempDataDir } from '../../test/harness.js';
import { startS3rver } from '../../test/s3rver.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';

/**
 * Object storage on a local s3rver process (an upper bound: s3rver writes to disk in Node; a
 * MinIO on the hall's LAN is faster): what write-through adds to each accepted photo's ingest,
 * and what a train host pays to fetch a station's 100 photos.
 */
export const bench: Bench = {
  name: 's3',
  description: 'write-through of a photo and fetch of 100 photos, s3rver on 127.0.0.1 via @aws-sdk/client-s3',
  async run(): Promise<Metric[]> {
    const server = await startS3rver('copilot-bench');
    if (!server) throw new Error('s3rver could not start (see the line above)');
    const data = tempDataDir('bench-s3-');
    try {
      const blobs = blobStoreFromConfig(loadConfig({ ...server.env }));
      if (!blobs) throw new Error('no blob store');
      const photo = (await renderRigPhoto({ seed: 5, classes: DEFAULT_CLASSES, combo: ['digital'], width: 1600, height: 1200 })).jpeg;
      const file = join(data.dir, 'photo.jpg');
      writeFileSync(file, photo);
      await blobs.putFile('warm/0.jpg', file);
      const puts: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        await blobs.putFile(`stations/B01/images/${i}.jpg`, file);
        puts.push(performance.now() - t0);
      }
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) await blobs.getToFile(`stations/B01/images/${i}.jpg`, join(data.dir, 'fetched', `${i}.jpg`));
      const fetchAll = performance.now() - t0;
      return [
        metric(`photo size`, photo.length / 1024, 'KiB'),
        metric('write-through of one accepted photo p50', percentile(puts, 50), 'ms'),
        metric('write-through of one accepted photo p95', percentile(puts, 95), 'ms'),
        metric('train host fetches 100 photos (sequential)', fetchAll, 'ms'),
      ];
    } finally {
      await server.stop();
      data.cleanup();
    }
  },
};
