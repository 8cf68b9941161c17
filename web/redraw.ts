import type { Logger } from '../core/index.js';
import type { JobQueue } from '../queue/index.js';
import type { Store } from '../store/index.js';
import type { EditorSaved } from './editor/index.js';

/**
 * After a save in the box editor, the photo's chat message must show the new boxes:
 * the web process asks a worker (which renders images; web does not) to redraw it.
 * The job id comes from the saved label version, so a repeated save event is one job.
 */
export function redrawOnSave(opts: { store: Store; jobs: JobQueue | undefined; log: Logger }) {
  return {
    async onSaved(e: EditorSaved): Promise<void> {
      const user = opts.store.users.get(e.userId);
      opts.log.info({ station: e.stationNo, photo: e.photoId, version: e.version }, 'editor: saved');
      if (!opts.jobs || !user) return;
      await opts.jobs
        .enqueue('preview', { stationNo: e.stationNo, photoId: e.photoId, chatId: user.chatId, lang: user.lang, mode: 'edit', userId: e.userId, version: e.version })
        .catch((err: unknown) => opts.log.warn({ err }, 'could not enqueue the preview redraw'));
    },
  };
}
