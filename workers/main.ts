import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { configSecrets, createLogger, loadConfig, redactText, UserInputError, type QueueName } from '../core/index.js';
import { loadExamConfigFile, openStore } from '../store/index.js';
import { redisConnection, telegramClient } from './connection.js';
import { PROCESSORS, type WorkerDeps } from './processors.js';

/**
 * The workers process: one BullMQ worker per queue named in WORKER_QUEUES.
 * Start more of these against the same Redis (and DATA_DIR) to scale out; a GPU
 * host runs `WORKER_QUEUES=train`. State lives in SQLite and DATA_DIR, never here.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'workers', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  const exam = loadExamConfigFile(config.EXAM_CONFIG);
  const store = openStore({ dataDir: config.DATA_DIR });
  const deps: WorkerDeps = { config, exam, store, log, telegram: telegramClient(config) };
  const connection = redisConnection(config);

  const workers: Worker[] = [];
  for (const name of config.WORKER_QUEUES as QueueName[]) {
    const processor = PROCESSORS[name];
    if (!processor) {
      log.warn({ queue: name }, 'no processor for this queue yet; not serving it');
      continue;
    }
    const worker = new Worker(
      name,
      async (job: Job) => {
        try {
          return await processor.process(job, deps);
        } catch (err) {
          // The class decides the retry: the user's own mistake is never retried.
          if (err instanceof UserInputError) throw new UnrecoverableError(err.code);
          throw err;
        }
      },
      { connection, prefix: config.QUEUE_PREFIX, concurrency: processor.concurrency(config) },
    );
    worker.on('failed', (job, err) => log.warn({ queue: name, jobId: job?.id, err }, 'job failed'));
    worker.on('error', (err) => log.error({ queue: name, err }, 'worker error'));
    workers.push(worker);
    await processor.recover?.(deps, connection);
  }
  log.info({ queues: workers.map((w) => w.name) }, 'workers ready');

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'workers shutting down');
    await Promise.all(workers.map((w) => w.close()));
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
