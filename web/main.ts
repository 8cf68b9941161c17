import { configSecrets, createLogger, loadConfig, PREVIEW_JOB, previewJobSchema, QUEUES, redactText } from '../core/index.js';
import { Queue } from 'bullmq';
import { ensureLinkSecret, loadExamConfigFile, openStore } from '../store/index.js';
import { editorRoutes } from './editor/index.js';
import { createWebServer } from './server.js';

/** The web process: invocation service, visual page, box editor (routes added by later capabilities). */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'web', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  const exam = loadExamConfigFile(config.EXAM_CONFIG);
  const store = openStore({ dataDir: config.DATA_DIR });
  const deps = { config, exam, store, log };
  const linkSecret = ensureLinkSecret(config.DATA_DIR, config.LINK_SECRET);
  // A save in the editor redraws the photo's chat message (the worker renders the preview).
  const ingest = config.REDIS_URL ? new Queue(QUEUES.ingest, { connection: { url: config.REDIS_URL }, prefix: config.QUEUE_PREFIX }) : undefined;
  const editor = editorRoutes({
    ...deps,
    linkSecret,
    onSaved: (e) => {
      const user = store.users.get(e.userId);
      log.info({ station: e.stationNo, photo: e.photoId, version: e.version }, 'editor: saved');
      if (!ingest || !user) return;
      const data = previewJobSchema.parse({ stationNo: e.stationNo, photoId: e.photoId, chatId: user.chatId, lang: user.lang, mode: 'edit', userId: e.userId });
      void ingest
        .add(PREVIEW_JOB, data, { jobId: `preview-${e.photoId}-v${e.version}-web`, attempts: 3, removeOnComplete: { age: 3600 } })
        .catch((err: unknown) => log.warn({ err }, 'could not enqueue the preview redraw'));
    },
  });
  const server = createWebServer(deps, editor);
  server.listen(config.WEB_PORT, config.WEB_HOST, () => {
    log.info({ url: `http://${config.WEB_HOST}:${config.WEB_PORT}` }, 'web listening');
  });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'web shutting down');
    server.close(() => {
      void ingest?.close();
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
