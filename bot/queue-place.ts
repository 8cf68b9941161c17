import { bestEffort, type IngestJob } from '../core/index.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';

/**
 * "Checking… about K photos ahead of yours": told when a photo will wait, so a contestant
 * in a busy hall knows the bot heard them. The count must never slow the handler: it is
 * one or two Redis round trips capped at `LOOKUP_TIMEOUT_MS` (a slow or absent Redis means
 * no notice, nothing else), and a station hears it at most once per `QUIET_MS` (an album
 * or a burst of photos gets one notice, not ten).
 */

/** More jobs than this ahead of a photo and it is worth telling. */
export const QUEUE_NOTICE_AHEAD = 8;
const LOOKUP_TIMEOUT_MS = 250;
const QUIET_MS = 60_000;

export type QueuePlaceNotice = (ctx: BotContext, deps: BotDeps, payload: IngestJob) => Promise<void>;

/** A notifier with its own per-station quiet period (one per bot). */
export function createQueuePlaceNotice(now: () => number): QueuePlaceNotice {
  const lastTold = new Map<string, number>();
  return async (ctx, deps, payload) => {
    const last = lastTold.get(payload.stationNo);
    if (last !== undefined && now() - last < QUIET_MS) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), LOOKUP_TIMEOUT_MS);
    });
    const ahead = await Promise.race([
      deps.jobs.jobsAhead('ingest', payload).catch((err: unknown) => {
        deps.log.debug({ err }, 'queue place lookup failed; no notice');
        return undefined;
      }),
      timeout,
    ]).finally(() => clearTimeout(timer));
    if (ahead === undefined || ahead <= QUEUE_NOTICE_AHEAD) return;
    lastTold.set(payload.stationNo, now());
    await bestEffort(ctx.reply(ctx.tr('capture.queued', { id: payload.photoId, ahead })), deps.log, 'queue place notice');
  };
}
