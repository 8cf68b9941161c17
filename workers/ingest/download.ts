import type { Telegram } from 'telegraf';
import { ExternalServiceError, TransientError } from '../../core/index.js';

export type Download = { kind: 'ok'; data: Buffer } | { kind: 'too-large'; bytes: number } | { kind: 'failed'; detail: string };

/**
 * Downloads a Telegram file by id, never holding more than `maxBytes`. A file Telegram
 * refuses (gone, too big for bots) is a user-level outcome; a network error is transient.
 */
export async function downloadTelegramFile(telegram: Telegram, fileId: string, maxBytes: number): Promise<Download> {
  let url: URL;
  try {
    url = await telegram.getFileLink(fileId);
  } catch (err) {
    const code = (err as { response?: { error_code?: number } }).response?.error_code;
    if (code === 400) return { kind: 'failed', detail: 'telegram refused the file id' };
    throw new ExternalServiceError('telegram', code, 'getFile failed', { cause: err });
  }
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    throw new TransientError('file download failed', { cause: err });
  }
  if (res.status === 404 || res.status === 400) return { kind: 'failed', detail: `http ${res.status}` };
  if (!res.ok || !res.body) throw new TransientError(`file download answered ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body.cancel();
    return { kind: 'too-large', bytes: declared };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) return { kind: 'too-large', bytes: total };
    chunks.push(Buffer.from(chunk));
  }
  return { kind: 'ok', data: Buffer.concat(chunks) };
}
