import type { Flow } from '../deps.js';
import { albumFlow } from './album.js';
import { captureFlow } from './capture.js';
import { cleanFlow } from './clean.js';
import { datasetFlow } from './dataset.js';
import { helpFlow } from './help.js';
import { labelFlow } from './label.js';
import { langFlow } from './lang.js';
import { planFlow } from './plan.js';
import { reportFlow } from './report.js';
import { retryFlow } from './retry.js';
import { startFlow } from './start.js';
import { trainFlow } from './train.js';
import { checkFlow } from './check.js';
import { reviewFlow } from './review.js';
import { deployFlow } from './deploy.js';
import { predictFlow } from './predict.js';
import { stationsFlow } from './stations.js';
import { guideFlow } from './guide.js';

export { fallbackFlow } from './fallback.js';

/**
 * The flow registry, in the order updates reach them. A later capability adds
 * its flow here (capture, clean, label, review, train, deploy, reports, guide).
 * The fallback flow is registered last by `createBot`, after the button router.
 */
export const FLOWS: readonly Flow[] = [startFlow, langFlow, helpFlow, planFlow, captureFlow, cleanFlow, labelFlow, trainFlow, retryFlow, reportFlow, datasetFlow, checkFlow, reviewFlow, albumFlow, deployFlow, predictFlow, stationsFlow, guideFlow];
