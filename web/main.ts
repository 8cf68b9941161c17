import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { blobStoreFromConfig, ensureLinkSecret, loadExamConfigFile, openStore } from '../store/index.js';
import { createJobQueue } from '../queue/index.js';
import { prepareInvokeProcess } from './invoke/index.js';
import { webRoutes } from './routes.js';
import { redrawOnSave } from './redraw.js';
import { createWebServer } from './server.js';
import { dashboardRoute, metricsRoute } from './ops-routes.js';

/** The web process: invocation service, visual page, box editor (routes added by later capabilities). */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'web', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  const exam = loadExamConfigFile(config.EXAM_CONFIG);
  const store = openStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL });
  const blobs = blobStoreFromConfig(config);
  const deps = { config, exam, store, log, ...(blobs ? { blobs } : {}) };
  const linkSecret = ensureLinkSecret(config.DATA_DIR, config.LINK_SECRET);
  // A save in the editor redraws the photo's chat message (a worker renders the preview).
  const jobs = config.REDIS_URL ? createJobQueue({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }) : undefined;
  const redraw = redrawOnSave({ store, jobs, log });
  prepareInvokeProcess();
  // /metrics (no station's data: counts and timings) and the queue dashboard (basic auth) come after the station routes.
  const metrics = metricsRoute(deps);
  const dashboard = dashboardRoute(deps);
  const server = createWebServer(deps, [...webRoutes({ ...deps, linkSecret, onSaved: redraw.onSaved }).map((r) => r.route), metrics.route, dashboard.route]);
  server.listen(config.WEB_PORT, config.WEB_HOST, () => {
    log.info({ url: `http://${config.WEB_HOST}:${config.WEB_PORT}` }, 'web listening');
  });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'web shutting down');
    server.close(() => {
      void jobs?.close();
      void metrics.scraper.close();
      void dashboard.close();
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
