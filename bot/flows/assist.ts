import { PRESETS, type Lang } from '../../core/index.js';
import type { BotDeps } from '../deps.js';

/** Photos with a confirmed label, per class present in the label. */
export function confirmedPerClass(deps: BotDeps, stationNo: string): { photos: number; perClass: Map<number, number> } {
  const confirmed = deps.store.labels.listConfirmed(stationNo);
  const perClass = new Map<number, number>();
  for (const c of confirmed) for (const id of new Set(c.boxes.map((b) => b.classId))) perClass.set(id, (perClass.get(id) ?? 0) + 1);
  return { photos: confirmed.length, perClass };
}

/** At most this many assist runs per station (at N, 2N and 3N confirmed photos per class). */
export const MAX_ASSIST_RUNS = 3;

/**
 * The assist loop: once every class has `assistAfterPerClass` confirmed photos (and again
 * at twice and three times that), a short low-priority training run makes a station
 * model that pre-labels the photos that follow. Called after each confirmation; cheap
 * (one query) and idempotent (the milestone is reached once).
 */
export async function maybeStartAssist(deps: BotDeps, stationNo: string, chatId: number, lang: Lang): Promise<string | undefined> {
  const runs = deps.store.runs.list(stationNo).filter((r) => r.kind === 'assist');
  if (runs.length >= MAX_ASSIST_RUNS || runs.some((r) => r.status === 'queued' || r.status === 'running')) return undefined;
  const { perClass } = confirmedPerClass(deps, stationNo);
  const milestone = deps.exam.labeling.assistAfterPerClass * (runs.length + 1);
  const least = Math.min(...deps.exam.classes.map((c) => perClass.get(c.id) ?? 0));
  if (least < milestone) return undefined;
  const created = deps.store.runs.create({ stationNo, kind: 'assist', params: { ...PRESETS.assist }, chatId });
  if (created.kind !== 'created') return undefined;
  const payload = { stationNo, runId: created.run.id, chatId, lang };
  await deps.jobs.enqueue('train', payload, { priority: 10 });
  deps.log.info({ station: stationNo, run: created.run.id, milestone }, 'assist training queued');
  return created.run.id;
}
