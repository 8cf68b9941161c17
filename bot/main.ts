import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { loadExamConfigFile, openStore } from '../store/index.js';
import { createBot } from './app.js';
import { registerCommands } from './commands.js';
import { createJobQueue, FAIL_FAST_MS } from '../queue/index.js';

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
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, { config, exam, store, jobs, log, now: Date.now });

  await registerCommands(bot.telegram);
  bot.launch({ dropPendingUpdates: false }, () => log.info({ apiRoot: config.TELEGRAM_API_ROOT }, 'bot polling')).catch((err: unknown) => {
    log.fatal({ err }, 'bot stopped polling');
    process.exit(1);
  });

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'bot shutting down');
    bot.stop(signal);
    await jobs.close();
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
