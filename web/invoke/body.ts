import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

/**
 * Reading the uploaded image from a request, within a byte limit, in either form a
 * client may send: `multipart/form-data` (curl -F, a browser form; the first file
 * part is the image) or the raw bytes with an image content type. The content type is
 * only a routing hint: the bytes are sniffed and decoded by vision afterwards.
 */

/** Raw body content types accepted (octet-stream for clients that cannot tell). */
export const RAW_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

export type BodyKind = 'multipart' | 'raw' | 'unsupported';

export type ImageBody =
  | { ok: true; bytes: Buffer }
  | { ok: false; code: 'body-too-large' | 'no-image' | 'unsupported-media-type' };

/** Multipart framing (boundaries, part headers, small fields) allowed beyond the image itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Which reader a request's content type selects. */
export function bodyKind(req: IncomingMessage): BodyKind {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'multipart/form-data') return 'multipart';
  return RAW_IMAGE_TYPES.includes(type) ? 'raw' : 'unsupported';
}

/** The declared Content-Length, or undefined for a chunked body. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const h = req.headers['content-length'];
  if (h === undefined) return undefined;
  const n = Number(h);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Feeds the request's chunks to `sink` until the end, or stops reading (pauses the
 * request, keeping nothing more) once more than `maxBytes` arrived. Resolves true when
 * the limit was passed. Rejects when the client went away mid-body.
 */
function pump(req: IncomingMessage, maxBytes: number, sink: (chunk: Buffer) => void): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        req.pause();
        resolve(true);
        return;
      }
      sink(chunk);
    };
    const onEnd = (): void => (done(), resolve(false));
    const onError = (err: Error): void => (done(), reject(err));
    const onClose = (): void => {
      if (req.complete) return;
      done();
      reject(new Error('client closed the connection before the body ended'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

/** A raw image body of at most `maxBytes`. */
export async function readRawImage(req: IncomingMessage, maxBytes: number): Promise<ImageBody> {
  const chunks: Buffer[] = [];
  const tooLarge = await pump(req, maxBytes, (c) => chunks.push(c));
  if (tooLarge) return { ok: false, code: 'body-too-large' };
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/**
 * The first file part of a multipart body; the file may be at most `maxBytes`, the
 * whole body that plus a little framing. Other fields and files are ignored.
 */
export async function readMultipartImage(req: IncomingMessage, maxBytes: number): Promise<ImageBody> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 4096, parts: 40 } });
  } catch {
    return { ok: false, code: 'no-image' };
  }
  const chunks: Buffer[] = [];
  let hasFile = false;
  let isTruncated = false;
  const parsed = new Promise<boolean>((resolve) => {
    bb.on('file', (_name, stream) => {
      hasFile = true;
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (isTruncated = true));
    });
    bb.once('close', () => resolve(true));
    bb.once('error', () => resolve(false));
  });
  const tooLarge = await pump(req, maxBytes + MULTIPART_OVERHEAD_BYTES, (c) => bb.write(c));
  if (tooLarge) {
    bb.destroy();
    return { ok: false, code: 'body-too-large' };
  }
  bb.end();
  const isParsed = await parsed;
  if (isTruncated) return { ok: false, code: 'body-too-large' };
  if (!isParsed || !hasFile) return { ok: false, code: 'no-image' };
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** Reads the image per the request's content type (see {@link bodyKind}). */
export function readImageBody(req: IncomingMessage, maxBytes: number): Promise<ImageBody> {
  switch (bodyKind(req)) {
    case 'multipart':
      return readMultipartImage(req, maxBytes);
    case 'raw':
      return readRawImage(req, maxBytes);
    case 'unsupported':
      return Promise.resolve({ ok: false, code: 'unsupported-media-type' });
  }
}
