import type { QueueName } from '../core/index.js';
import { exportProcessor } from './export/processor.js';
import { ingestProcessor } from './ingest/processor.js';
import type { Processor } from './processors.js';
import { trainProcessor } from './train/processor.js';
import { reportProcessor } from './report/processor.js';
import { guideProcessor } from './guide/processor.js';

/** The processors this build has; a queue without one is not served (later capabilities add theirs). */
export const PROCESSORS: Partial<Record<QueueName, Processor>> = {
  ingest: ingestProcessor,
  train: trainProcessor,
  report: reportProcessor,
  export: exportProcessor,
  guide: guideProcessor,
};
