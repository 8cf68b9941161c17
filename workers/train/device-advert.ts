import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { trainerDeviceSchema, type TrainerDevice } from '../../core/index.js';
import type { WorkerDeps } from '../processors.js';

const here = dirname(fileURLToPath(import.meta.url));
export const PROBE_SCRIPT = resolve(here, '../trainer/probe_device.py');

/** How often a training worker says again which device it has; the entry lapses after three misses. */
export const ADVERT_EVERY_MS = 60_000;

/** Asks torch which device TRAINER_DEVICE selects (cuda only when torch sees one). */
export async function probeTrainerDevice(deps: Pick<WorkerDeps, 'config'>, signal?: AbortSignal): Promise<TrainerDevice> {
  const { stdout } = await promisify(execFile)(deps.config.TRAINER_PYTHON, [PROBE_SCRIPT, deps.config.TRAINER_DEVICE], { timeout: 60_000, ...(signal ? { signal } : {}) });
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return trainerDeviceSchema.parse({ ...(JSON.parse(lastLine) as object), concurrency: deps.config.TRAIN_CONCURRENCY });
}

/**
 * Probes the device once, in the background (importing torch takes seconds; the worker
 * does not wait for it), and advertises it while the worker runs, so `/train` can say which
 * device a run will use and pick the presets for it. A failed probe is logged and nothing
 * is advertised (`/train` then assumes the CPU).
 */
export function advertiseTrainerDevice(deps: Pick<WorkerDeps, 'config' | 'jobs' | 'log'>): { ready: Promise<TrainerDevice | undefined>; stop(): Promise<void> } {
  const workerId = `${hostname()}:${process.pid}`;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const abort = new AbortController();
  const ready = (async () => {
    let device: TrainerDevice;
    try {
      device = await probeTrainerDevice(deps, abort.signal);
    } catch (err) {
      if (stopped) return undefined;
      deps.log.warn({ err }, 'could not probe the training device; /train will assume the CPU');
      return undefined;
    }
    if (stopped) return device;
    deps.log.info({ device }, 'training device');
    const say = () => deps.jobs.advertiseTrainer(workerId, device, ADVERT_EVERY_MS * 3).catch((err: unknown) => deps.log.warn({ err }, 'could not advertise the training device'));
    await say();
    timer = setInterval(() => void say(), ADVERT_EVERY_MS);
    timer.unref();
    return device;
  })();
  return {
    ready,
    async stop() {
      stopped = true;
      abort.abort();
      const device = await ready;
      clearInterval(timer);
      if (device) await deps.jobs.advertiseTrainer(workerId, undefined).catch(() => undefined);
    },
  };
}
