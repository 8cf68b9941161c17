import { estimateTrainSeconds, measuredThroughput, type TrainerDevice, type TrainerDeviceKind, type TrainParams } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** How long /train waits for Redis to say which device trains (then assumes the CPU). */
const DEVICE_WAIT_MS = 1000;

/** The device the next run will train on: the best live training worker's, if any said within a second. */
export async function nextTrainerDevice(deps: BotDeps): Promise<TrainerDevice | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), DEVICE_WAIT_MS);
  });
  try {
    const devices = await Promise.race([deps.jobs.trainerDevices(), late]);
    return devices?.[0];
  } catch (err) {
    deps.log.warn({ err }, 'could not read the training devices; assuming the CPU');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** "Device: GPU NVIDIA H200 (139 GB) · torch 2.5" — or that no training worker has said yet. */
export function deviceLine(ctx: BotContext, device: TrainerDevice | undefined): string {
  if (!device) return ctx.tr('train.device.unknown');
  const memory = device.memoryGiB === null ? '' : ` · ${device.memoryGiB} GiB`;
  return ctx.tr(`train.device.${device.kind}`, { name: device.name, memory, torch: device.torch });
}

/** "about 4 min", "the whole 10 min budget", or "within the 10 min budget" when no speed has been measured. */
export function estimateText(ctx: BotContext, deps: BotDeps, params: TrainParams, photos: number, kind: TrainerDeviceKind): string {
  const budgetMin = Math.round(params.timeBudgetS / 60);
  const estimate = estimateTrainSeconds(params, photos, measuredThroughput(kind, deps.store.runs.recentCompleted(20)));
  if (!estimate) return params.timeBudgetS > 0 ? ctx.tr('train.estimate.unknown', { min: budgetMin }) : '—';
  if (estimate.budgetBound) return ctx.tr('train.estimate.budget', { min: budgetMin });
  return ctx.tr('train.estimate.about', { min: Math.max(1, Math.round(estimate.seconds / 60)) });
}
