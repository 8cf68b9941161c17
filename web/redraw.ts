import { Queue } from 'bullmq';
import { PREVIEW_JOB, previewJobSchema, QUEUES, type Logger } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { EditorSaved } from './editor/index.js';

/**
 * After a save in the box editor, the photo's chat message must show the new boxes:
 * the web process asks a worker (which renders images; web does not) to redraw it.
 */
export function redrawOnSave(opts: { store: Store; redisUrl: string | undefined; prefix: string; log: Logger }) {
  const queue = opts.redisUrl ? new Queue(QUEUES.ingest, { connection: { url: opts.redisUrl }, prefix: opts.prefix }) : undefined;
  return {
    async onSaved(e: EditorSaved): Promise<void> {
      const user = opts.store.users.get(e.userId);
      opts.log.info({ station: e.stationNo, photo: e.photoId, version: e.version }, 'editor: saved');
      if (!queue || !user) return;
      const data = previewJobSchema.parse({ stationNo: e.stationNo, photoId: e.photoId, chatId: user.chatId, lang: user.lang, mode: 'edit', userId: e.userId });
      await queue
        .add(PREVIEW_JOB, data, { jobId: `preview-${e.photoId}-v${e.version}-web`, attempts: 3, removeOnComplete: { age: 3600 } })
        .catch((err: unknown) => opts.log.warn({ err }, 'could not enqueue the preview redraw'));
    },
    close: async () => queue?.close(),
  };
}
