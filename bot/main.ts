import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { loadExamConfigFile, openStore } from '../store/index.js';
import { createBot } from './app.js';
import { registerCommands } from './commands.js';
import { createJobQueue, createProcessMetrics, createRateLimiter, createUpdateClaim, FAIL_FAST_MS, startMetricsPush } from '../queue/index.js';
import { startWebhook } from './webhook.js';
import { rateRules } from './rate-limit.js';

/**
 * The bot process: long-polls Telegram (or any Bot-API server at TELEGRAM_API_ROOT,
 * such as the built-in emulator that `npm start` runs), reads and writes state,
 * enqueues slow work. Start it through `npm start`, or alone with TELEGRAM_BOT_TOKEN
 * and REDIS_URL set.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'bot', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  if (!config.TELEGRAM_BOT_TOKEN || !config.REDIS_URL) {
    log.fatal('the bot process needs TELEGRAM_BOT_TOKEN and REDIS_URL; run `npm start` to get both set up locally');
    process.exit(2);
  }
  const exam = loadExamConfigFile(config.EXAM_CONFIG);
  const store = openStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL });
  const jobs = createJobQueue({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    failFastMs: FAIL_FAST_MS,
    onConnectionError: (err) => log.warn({ code: (err as NodeJS.ErrnoException).code }, 'Redis unreachable; photos are recorded and queued when it is back'),
  });
  store.updates.prune();
  const metrics = createProcessMetrics('bot');
  const pushed = startMetricsPush(metrics, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, everyMs: config.METRICS_PUSH_MS });
  // Several webhook replicas share one claim per update in Redis; one polling process keeps its record in the store.
  const updateClaim = config.WEBHOOK_URL ? createUpdateClaim({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }) : undefined;
  const limiter = createRateLimiter({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    rules: rateRules(config),
    onError: (err) => log.debug({ err }, 'rate limit not checked (Redis); letting the update through'),
  });
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, { config, exam, store, jobs, log, now: Date.now, metrics, limiter, ...(updateClaim ? { updateClaim } : {}) });

  await registerCommands(bot.telegram);
  const webhook = config.WEBHOOK_URL ? await startWebhook(bot, config, config.TELEGRAM_BOT_TOKEN, log) : undefined;
  if (!webhook) {
    bot.launch({ dropPendingUpdates: false }, () => log.info({ apiRoot: config.TELEGRAM_API_ROOT }, 'bot polling')).catch((err: unknown) => {
      log.fatal({ err }, 'bot stopped polling');
      process.exit(1);
    });
  }

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'bot shutting down');
    if (webhook) await new Promise((resolve) => webhook.close(resolve));
    else bot.stop(signal);
    await pushed.close();
    await updateClaim?.close();
    await jobs.close();
    await limiter.close();
    store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // Start-up errors (bad config, unreachable API) are printed for a person, with tokens redacted.
  console.error(redactText(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
