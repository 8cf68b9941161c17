import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { loadExamConfigFile, openStore } from '../store/index.js';
import { createWebServer } from './server.js';

/** The web process: invocation service, visual page, box editor (routes added by later capabilities). */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'web', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  const exam = loadExamConfigFile(config.EXAM_CONFIG);
  const store = openStore({ dataDir: config.DATA_DIR });
  const server = createWebServer({ config, exam, store, log });
  server.listen(config.WEB_PORT, config.WEB_HOST, () => {
    log.info({ url: `http://${config.WEB_HOST}:${config.WEB_PORT}` }, 'web listening');
  });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'web shutting down');
    server.close(() => {
      store.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(redactText(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
