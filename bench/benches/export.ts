import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exportDataset } from '../../core/index.js';
import { testEnv } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { buildDataset, datasetInput } from '../../workers/export/build-dataset.js';
import { median, metric, type Bench, type Metric } from '../metric.js';

/**
 * `/dataset` without the chat, on a seeded 100-photo station (640×480 synthetic rig
 * photos, three meters each): the pure export model (labels of YOLO, COCO and Pascal
 * VOC) and the whole worker step — the model, the zip with every format and its photos,
 * and the unzipped copy under `exports/` — as the export worker runs it.
 */
export const bench: Bench = {
  name: 'export',
  description: 'dataset export of a 100-photo station in YOLO, COCO and Pascal VOC: the label model, and model + zip + unzipped copy',
  async run(): Promise<Metric[]> {
    const env = testEnv();
    try {
      await seedConfirmedStation(env, 'E01', 1, 100, '11010519900307123');
      const { images } = datasetInput(env.store, 'E01');
      const model: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        exportDataset({ name: 'E01', task: env.exam.taskName, classes: env.exam.classes, images });
        model.push(performance.now() - t0);
      }
      const whole: number[] = [];
      let zipBytes = 0;
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now();
        const built = await buildDataset(env.store, env.exam, 'E01');
        whole.push(performance.now() - t0);
        if (built) zipBytes = statSync(built.zip).size;
      }
      return [
        metric('label files of 3 formats, 100 photos (median of 6)', median(model), 'ms'),
        metric('/dataset worker step: model + zip + unzipped copy, 100 photos (median of 4)', median(whole), 'ms'),
        metric('zip size, 100 photos of 640×480 in 3 formats', zipBytes / 1048576, 'MB'),
      ];
    } finally {
      env.cleanup();
    }
  },
};
