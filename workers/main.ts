import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { loadExamConfigFile, openStore } from '../store/index.js';
import { configureSharp } from '../vision/index.js';
import { startMetricsPush } from '../queue/index.js';
import { startWorkers } from './run.js';

/**
 * The workers process: one BullMQ worker per queue named in WORKER_QUEUES.
 * Start more of these against the same Redis (and DATA_DIR) to scale out; a GPU
 * host runs `WORKER_QUEUES=train`. State lives in SQLite and DATA_DIR, never here.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'workers', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  const exam = loadExamConfigFile(config.EXAM_CONFIG);
  const store = openStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL });
  // libvips settings are process-wide: set once here, before any photo is decoded.
  configureSharp();
  const running = await startWorkers({ config, exam, store, log });
  // Job durations and verdicts reach the web's /metrics through Redis (queue/metrics.ts says why).
  const pushed = config.REDIS_URL ? startMetricsPush(running.metrics, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, everyMs: config.METRICS_PUSH_MS }) : undefined;
  const keepAlive = running.queues.length === 0 ? setInterval(() => undefined, 60_000) : undefined;

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'workers shutting down');
    clearInterval(keepAlive);
    await running.close();
    await pushed?.close();
    store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(redactText(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
