import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BOT_UPLOAD_LIMIT_BYTES, exportDownloadUrl, signExportLink, t, webBaseUrl, type ExportLinkKind, type Lang } from '../../core/index.js';
import { ensureLinkSecret } from '../../store/index.js';
import type { WorkerDeps } from '../processors.js';

/** How long a download link for a large zip stays valid. */
export const EXPORT_LINK_TTL_MS = 24 * 3600 * 1000;

/**
 * Sends a zip to the chat: as a document when the Bot API accepts the upload (≤ 50 MB),
 * else as a signed, expiring link to the web process (`GET /files/export/<station>/<token>`).
 */
export async function deliverZip(
  deps: WorkerDeps,
  job: { chatId: number; lang: Lang; stationNo: string },
  kind: ExportLinkKind,
  zipPath: string,
  caption: string,
): Promise<'document' | 'link'> {
  const { size } = await stat(zipPath);
  if (size <= BOT_UPLOAD_LIMIT_BYTES) {
    await deps.telegram.sendDocument(job.chatId, { source: zipPath, filename: basename(zipPath) }, { caption, parse_mode: 'HTML' });
    return 'document';
  }
  const secret = ensureLinkSecret(deps.store.dataDir, deps.config.LINK_SECRET);
  const token = signExportLink(secret, { stationNo: job.stationNo, kind, expiresAt: Date.now() + EXPORT_LINK_TTL_MS });
  const url = exportDownloadUrl(webBaseUrl(deps.config), job.stationNo, token);
  const text = t(job.lang, 'export.link', { size: (size / 1048576).toFixed(1), hours: EXPORT_LINK_TTL_MS / 3600_000, url });
  await deps.telegram.sendMessage(job.chatId, `${caption}\n\n${text}`, { parse_mode: 'HTML' });
  return 'link';
}
