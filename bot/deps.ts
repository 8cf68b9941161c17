import type { Telegraf } from 'telegraf';
import type { CallbackAction, Config, ExamConfig, Logger } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { ActionHandler, BotContext } from './context.js';
import type { JobQueue, ProcessMetrics, RateLimiter, UpdateClaim } from '../queue/index.js';

/** Everything a flow needs, built once in `main.ts` (or a test) and passed down. */
export interface BotDeps {
  config: Config;
  exam: ExamConfig;
  store: Store;
  jobs: JobQueue;
  log: Logger;
  /** Clock, replaceable in tests. */
  now: () => number;
  /** This process's metrics (updates, reply latency); pushed to Redis for the web's `/metrics`. */
  metrics?: ProcessMetrics;
  /**
   * Webhook mode: the claim shared by every replica (Redis), so each update is handled once
   * across them. Unset (long polling, one process): the update record in the store.
   */
  updateClaim?: UpdateClaim;
  /** Per-user message and upload rates (buckets `msg`, `upload`); no limits when absent. */
  limiter?: RateLimiter;
  /** Time left on a station's exam clock in ms; undefined while no clock knows (shown as "—"). */
  timeLeft?: (stationNo: string) => number | undefined;
}

/** A chat flow: registers its commands, message handlers and button actions. */
export interface Flow {
  name: string;
  register(bot: Telegraf<BotContext>, deps: BotDeps, actions: Map<CallbackAction, ActionHandler>): void;
}
