import type { Telegraf } from 'telegraf';
import { createBot } from '../bot/app.js';
import type { BotContext } from '../bot/context.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createJobQueue, type JobQueue, type ProcessMetrics, type UpdateClaim } from '../queue/index.js';
import { startWorkers } from '../workers/run.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix } from './harness.js';
import { testQueues } from './queues.js';

/** The product in one test process: emulator, bot, real Redis queues and workers on a fresh DATA_DIR. */
export interface ChatStack {
  emu: Emulator;
  env: ReturnType<typeof testEnv>;
  jobs: JobQueue;
  /** Waits on this stack's jobs by their events. */
  queues: ReturnType<typeof testQueues>;
  bot: Telegraf<BotContext>;
  workers: Awaited<ReturnType<typeof startWorkers>>;
  log: ReturnType<typeof memoryLogger>['log'];
  /** Every line the stack's logger wrote (JSON). */
  logLines: string[];
  close(): Promise<void>;
}

export async function startChatStack(opts: { redisUrl: string; env?: Record<string, string>; baseModel?: string; name?: string; botMetrics?: ProcessMetrics; updateClaim?: UpdateClaim }): Promise<ChatStack> {
  const emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
  const prefix = testPrefix();
  const env = testEnv({ REDIS_URL: opts.redisUrl, QUEUE_PREFIX: prefix, TELEGRAM_API_ROOT: emu.apiRoot, ...opts.env });
  const { log, lines: logLines } = memoryLogger(opts.name ?? 'test');
  const jobs = createJobQueue({ redisUrl: opts.redisUrl, prefix });
  const queues = testQueues(opts.redisUrl, prefix);
  const extra = { ...(opts.botMetrics ? { metrics: opts.botMetrics } : {}), ...(opts.updateClaim ? { updateClaim: opts.updateClaim } : {}) };
  const bot = createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now, ...extra }, { apiRoot: emu.apiRoot });
  void bot.launch();
  const workers = await startWorkers({ config: env.config, exam: env.exam, store: env.store, log, ...(opts.baseModel ? { baseModel: opts.baseModel } : {}) });
  return {
    emu, env, jobs, queues, bot, workers, log, logLines,
    async close() {
      bot.stop('test');
      await workers.close();
      await jobs.close();
      await queues.obliterate();
      await emu.close();
      env.cleanup();
    },
  };
}
