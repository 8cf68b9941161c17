import type { Lang } from '../../core/index.js';
import type { WorkerDeps } from '../processors.js';

/**
 * Asks the guide to announce what the station has newly reached (a combo filled, a run
 * finished). Best effort: a lost nudge is made up by the next one or the clock's sweep.
 */
export async function nudgeMilestones(deps: WorkerDeps, stationNo: string, chatId: number | null | undefined, lang: Lang, requestId: string): Promise<void> {
  if (chatId === null || chatId === undefined || deps.config.GUIDE_MILESTONES === 'off') return;
  await deps.jobs.enqueue('milestones', { stationNo, chatId, lang, requestId }).catch((err: unknown) => deps.log.warn({ stationNo, err }, 'could not ask the guide for milestones'));
}
