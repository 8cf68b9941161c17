import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { ApiError, apiErrors } from './api-error.js';

/** Telegram's cap on files a bot uploads: 50 MB. A bigger request gets a 413. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Room for multipart headers and small fields around the files. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** One file part of a multipart request. */
export interface Upload {
  /** The form field, e.g. `photo`, or the attachment name used as `attach://<name>`. */
  field: string;
  fileName?: string;
  /** As the client labelled the part; often absent or `application/octet-stream`. */
  mimeType?: string;
  bytes: Buffer;
}

/** A request's parameters: query string merged with the body, plus any uploaded files. */
export interface RequestBody {
  /** Body values win over query values. Form values are strings; JSON keeps its types. */
  params: Record<string, unknown>;
  files: Map<string, Upload>;
}

/**
 * Reads a Bot API request the way Telegram accepts it: query string, JSON,
 * `application/x-www-form-urlencoded` or `multipart/form-data`. The whole body is
 * always consumed, so a 413 reaches the client as a response and not as a reset socket.
 *
 * @throws ApiError 413 when a file or the body exceeds `maxBytes`; 400 for a body that
 *   is not valid JSON.
 */
export async function readRequestBody(req: IncomingMessage, maxBytes = MAX_UPLOAD_BYTES): Promise<RequestBody> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const files = new Map<string, Upload>();
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  // Form overhead aside, a body this long must hold a file over the limit: skip parsing.
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes + FORM_OVERHEAD_BYTES) {
    for await (const _chunk of req as AsyncIterable<Buffer>) {
      // drained, so the 413 reaches the client as a response
    }
    throw apiErrors.tooLarge();
  }
  if (type.startsWith('multipart/form-data')) {
    await readMultipart(req, maxBytes, params, files);
    return { params, files };
  }
  const raw = await readAll(req, maxBytes);
  if (raw.length === 0) return { params, files };
  const text = raw.toString('utf8');
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, "Bad Request: can't parse JSON object");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ApiError(400, "Bad Request: can't parse JSON object");
    }
    Object.assign(params, parsed);
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(text)));
  }
  return { params, files };
}

async function readAll(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let isTooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) isTooLarge = true; // keep draining, answer once all is read
    else chunks.push(chunk);
  }
  if (isTooLarge) throw apiErrors.tooLarge();
  return Buffer.concat(chunks);
}

function readMultipart(
  req: IncomingMessage,
  maxBytes: number,
  params: Record<string, unknown>,
  files: Map<string, Upload>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let isTooLarge = false;
    let parser: busboy.Busboy;
    try {
      // busboy signals 'limit' on reaching fileSize; a file of exactly maxBytes is allowed.
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes + 1, fieldSize: 4 * 1024 * 1024 } });
    } catch {
      reject(new ApiError(400, 'Bad Request: invalid multipart/form-data request'));
      return;
    }
    parser.on('field', (name, value) => {
      params[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        isTooLarge = true;
      });
      stream.on('end', () => {
        if (isTooLarge) return;
        const upload: Upload = { field, bytes: Buffer.concat(chunks) };
        if (info.filename) upload.fileName = info.filename;
        if (info.mimeType) upload.mimeType = info.mimeType;
        files.set(field, upload);
      });
    });
    parser.on('close', () => (isTooLarge ? reject(apiErrors.tooLarge()) : resolve()));
    parser.on('error', () => reject(new ApiError(400, 'Bad Request: invalid multipart/form-data request')));
    req.pipe(parser);
  });
}
