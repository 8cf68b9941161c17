import type { Telegraf } from 'telegraf';
import type { CallbackAction, Config, ExamConfig, Logger } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { ActionHandler, BotContext } from './context.js';
import type { JobQueue, RateLimiter } from '../queue/index.js';

/** Everything a flow needs, built once in `main.ts` (or a test) and passed down. */
export interface BotDeps {
  config: Config;
  exam: ExamConfig;
  store: Store;
  jobs: JobQueue;
  log: Logger;
  /** Clock, replaceable in tests. */
  now: () => number;
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
