import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../core/index.js';
import { writeFileAtomic } from './atomic.js';
import { assertInside } from './layout.js';

/**
 * Where finished files live besides the local DATA_DIR. Keys mirror the DATA_DIR-relative
 * paths with `/` separators (`stations/A07/images/12.jpg`), so one key names the same file
 * on every host. Two implementations: the local DATA_DIR itself ({@link localBlobStore}) and an
 * S3-compatible bucket ({@link s3BlobStore}).
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Where the store is, for logs and messages (`DATA_DIR /data`, `s3://bucket @ endpoint`). */
  readonly where: string;
  /** Stores the file at `file` under `key` (replacing any object there). */
  putFile(key: string, file: string): Promise<void>;
  putBuffer(key: string, data: Uint8Array): Promise<void>;
  /** Writes the object to `file` atomically (readers see the old file or the whole new one); false when there is no such object. */
  getToFile(key: string, file: string): Promise<boolean>;
  /** The object's bytes, or undefined when there is no such object. */
  getBuffer(key: string): Promise<Buffer | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; no error when it is not there. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix` (`stations/A07/` for a folder), sorted. */
  list(prefix: string): Promise<string[]>;
}

/**
 * Refuses a key that is not a plain relative path (empty, absolute, `..`, `\`, NUL, empty
 * segments), so a key can never name anything outside DATA_DIR on any host.
 */
export function assertBlobKey(key: string): void {
  const segments = key.split('/');
  if (
    key.length === 0 ||
    key.length > 1024 ||
    /[\\\0]/.test(key) ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new Error(
      `store: blob key ${JSON.stringify(key)} is not a plain relative path; build keys with blobKey(dataDir, file) from a file under DATA_DIR`,
    );
  }
}

/** The key of a file under DATA_DIR: its relative path with `/` separators. Refuses files outside DATA_DIR. */
export function blobKey(dataDir: string, file: string): string {
  const root = path.resolve(dataDir);
  const abs = path.resolve(file);
  assertInside(root, abs);
  const key = path.relative(root, abs).split(path.sep).join('/');
  assertBlobKey(key);
  return key;
}

/** The local path of a key under DATA_DIR. */
export function blobPath(dataDir: string, key: string): string {
  assertBlobKey(key);
  const root = path.resolve(dataDir);
  const target = path.resolve(root, ...key.split('/'));
  assertInside(root, target);
  return target;
}

/** The DATA_DIR itself as a blob store: what every deployment without S3 uses. */
export function localBlobStore(dataDir: string): BlobStore {
  const root = path.resolve(dataDir);
  const at = (key: string): string => blobPath(root, key);
  const self: BlobStore = {
    kind: 'local',
    where: `DATA_DIR ${root}`,
    async putFile(key, file) {
      const dst = at(key);
      if (path.resolve(file) === dst) return; // already where the key says
      await writeFileAtomic(dst, await readFile(file), { within: root });
    },
    async putBuffer(key, data) {
      await writeFileAtomic(at(key), data, { within: root });
    },
    async getToFile(key, file) {
      const data = await self.getBuffer(key);
      if (data === undefined) return false;
      if (path.resolve(file) !== at(key)) await writeFileAtomic(file, data);
      return true;
    },
    async getBuffer(key) {
      try {
        return await readFile(at(key));
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },
    async exists(key) {
      try {
        return (await stat(at(key))).isFile();
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    async delete(key) {
      await unlink(at(key)).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
    },
    async list(prefix) {
      const keys: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch (err) {
          if (isMissing(err)) return;
          throw err;
        }
        for (const e of entries) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) await walk(full);
          else if (e.isFile()) keys.push(path.relative(root, full).split(path.sep).join('/'));
        }
      };
      // Walk only the folder the prefix names (or its parent when it ends mid-name).
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      await walk(folder === '' ? root : blobPath(root, folder));
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
  };
  return self;
}

/** Files up to this size are uploaded from memory (retryable); larger ones are streamed. */
const BUFFERED_PUT_BYTES = 64 * 1024 * 1024;

/** Connection settings of {@link s3BlobStore} (from `S3_*`, see {@link blobStoreFromConfig}). */
export interface S3BlobOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  /** Files up to this many bytes are uploaded from memory, larger ones streamed (default 64 MiB). */
  maxBufferedPut?: number;
}

/** An S3-compatible bucket through the official client (`@aws-sdk/client-s3`). */
export function s3BlobStore(opts: S3BlobOptions): BlobStore & { client: S3Client } {
  const client = new S3Client({
    region: opts.region,
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? opts.endpoint !== undefined,
    // Checksums only where S3 requires them: many S3-compatible servers (s3rver, older MinIO,
    // Ceph) store the SDK's default aws-chunked CRC32 trailer as part of a streamed body.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(opts.accessKeyId !== undefined && opts.secretAccessKey !== undefined
      ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
      : {}),
  });
  const Bucket = opts.bucket;
  const self = {
    kind: 's3' as const,
    where: `s3://${Bucket}${opts.endpoint !== undefined ? ` @ ${opts.endpoint}` : ''}`,
    client,
    async putFile(key: string, file: string) {
      assertBlobKey(key);
      const { size } = await stat(file);
      if (size <= (opts.maxBufferedPut ?? BUFFERED_PUT_BYTES)) {
        // In memory: the client can retry a buffer (a stream is spent after the first try).
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: await readFile(file), ContentLength: size }));
        return;
      }
      // Large files stream with a known length (no buffering, no chunked signing); a failed
      // request closes the file at once.
      const body = createReadStream(file);
      body.on('error', () => undefined); // reported by send()
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentLength: size }));
      } finally {
        body.destroy();
      }
    },
    async putBuffer(key: string, data: Uint8Array) {
      assertBlobKey(key);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: data, ContentLength: data.byteLength }));
    },
    async getToFile(key: string, file: string) {
      assertBlobKey(key);
      const body = await getBody(key);
      if (body === undefined) return false;
      const dst = path.resolve(file);
      await mkdir(path.dirname(dst), { recursive: true });
      // Stream to a temporary file beside the target, then rename: never a half file under its name.
      const tmp = `${dst}.part-${process.pid}-${randomBytes(6).toString('hex')}`;
      try {
        await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
        await rename(tmp, dst);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return true;
    },
    async getBuffer(key: string) {
      assertBlobKey(key);
      const body = await getBody(key);
      if (body === undefined) return undefined;
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
      return Buffer.concat(chunks);
    },
    async exists(key: string) {
      assertBlobKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNoSuchKey(err)) return false;
        throw err;
      }
    },
    async delete(key: string) {
      assertBlobKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async list(prefix: string) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, ...(token !== undefined ? { ContinuationToken: token } : {}) }),
        );
        for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys.sort();
    },
  };
  async function getBody(key: string): Promise<Readable | undefined> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (out.Body === undefined) return Readable.from([]);
      return out.Body as Readable;
    } catch (err) {
      if (isNoSuchKey(err)) return undefined;
      throw err;
    }
  }
  return self;
}

/** The shared object store `S3_*` configures, or undefined when S3_BUCKET is unset (DATA_DIR only). */
export function blobStoreFromConfig(config: Config): (BlobStore & { client: S3Client }) | undefined {
  if (config.S3_BUCKET === undefined) return undefined;
  return s3BlobStore({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    ...(config.S3_ENDPOINT !== undefined ? { endpoint: config.S3_ENDPOINT } : {}),
    ...(config.S3_ACCESS_KEY_ID !== undefined ? { accessKeyId: config.S3_ACCESS_KEY_ID } : {}),
    ...(config.S3_SECRET_ACCESS_KEY !== undefined ? { secretAccessKey: config.S3_SECRET_ACCESS_KEY } : {}),
    ...(config.S3_FORCE_PATH_STYLE !== undefined ? { forcePathStyle: config.S3_FORCE_PATH_STYLE } : {}),
  });
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

function isNoSuchKey(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'NoSuchBucket') return false; // a misconfiguration, not a missing object
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
