import { PRESETS, type Lang, type TrainParams } from '../../core/index.js';
import type { BotDeps } from '../deps.js';

/** Photos with a confirmed label, per class present in the label. */
export function confirmedPerClass(deps: BotDeps, stationNo: string): { photos: number; perClass: Map<number, number> } {
  const confirmed = deps.store.labels.listConfirmed(stationNo);
  const perClass = new Map<number, number>();
  for (const c of confirmed) for (const id of new Set(c.boxes.map((b) => b.classId))) perClass.set(id, (perClass.get(id) ?? 0) + 1);
  return { photos: confirmed.length, perClass };
}

/** At most this many assist runs per station (at N, 2N, 4N and 8N confirmed photos per class). */
export const MAX_ASSIST_RUNS = 4;

/** Confirmed photos per class that start assist run `k` (0-based): N, 2N, 4N, 8N. */
export function assistMilestone(perClass: number, k: number): number {
  return perClass * 2 ** k;
}

/**
 * The assist loop: once every class the station has labelled so far has
 * `assistAfterPerClass` confirmed photos (3 by default: on a rig the same few meters appear
 * in every photo, so three are enough for a few-shot fine-tune), and again at 2N, 4N and 8N,
 * a short low-priority training run makes a station model that pre-labels the photos that
 * follow. Classes not seen yet do not hold it back: a rig's plan may photograph one class
 * for a while before the next. Called after each confirmation; cheap (one query) and
 * idempotent (the milestone is reached once).
 */
export async function maybeStartAssist(deps: BotDeps, stationNo: string, chatId: number, lang: Lang, params: TrainParams = PRESETS.assist): Promise<string | undefined> {
  const runs = deps.store.runs.list(stationNo).filter((r) => r.kind === 'assist');
  if (runs.length >= MAX_ASSIST_RUNS || runs.some((r) => r.status === 'queued' || r.status === 'running')) return undefined;
  const { perClass } = confirmedPerClass(deps, stationNo);
  const milestone = assistMilestone(deps.exam.labeling.assistAfterPerClass, runs.length);
  const seen = deps.exam.classes.map((c) => perClass.get(c.id) ?? 0).filter((n) => n > 0);
  if (seen.length === 0 || Math.min(...seen) < milestone) return undefined;
  const created = deps.store.runs.create({ stationNo, kind: 'assist', params: { ...params }, chatId });
  if (created.kind !== 'created') return undefined;
  const payload = { stationNo, runId: created.run.id, chatId, lang };
  await deps.jobs.enqueue('train', payload, { priority: 10 });
  deps.log.info({ station: stationNo, run: created.run.id, milestone }, 'assist training queued');
  return created.run.id;
}
