import { createWriteStream } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { isNestedArchive, isSystemJunk, judgeEntryName } from './zip-names.js';

/** Why an uploaded zip was refused; each maps to user text in both languages. */
export type ZipRefusal =
  | 'corrupt'
  | 'zip-bomb'
  | 'too-large'
  | 'too-many-entries'
  | 'path-traversal'
  | 'symlink'
  | 'non-utf8-name'
  | 'encrypted'
  | 'duplicate-entry';

export interface ZipLimits {
  /** Entries in the central directory (files, folders and ignored ones together). */
  maxEntries: number;
  /** Bytes written out, all entries together, counted while inflating. */
  maxTotalBytes: number;
  /** Bytes one entry may inflate to. */
  maxEntryBytes: number;
  /** Inflated ÷ compressed bytes above which an entry is a bomb, once past `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** Sized for the exam's datasets (hundreds of photos, ~100 MB) with room to spare. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 5000,
  maxTotalBytes: 1024 ** 3,
  maxEntryBytes: 256 * 1024 ** 2,
  maxRatio: 200,
  ratioFloorBytes: 1024 ** 2,
};

export type ZipReadResult =
  | { kind: 'extracted'; files: { path: string; size: number }[]; ignored: { path: string; why: 'nested-archive' | 'system-file' }[] }
  | { kind: 'refused'; reason: ZipRefusal; entry?: string; detail: string };

class Refused extends Error {
  constructor(
    readonly reason: ZipRefusal,
    readonly detail: string,
    readonly entry?: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(path: string): Promise<ZipFile> {
  return new Promise((ok, fail) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, strictFileNames: false, autoClose: true }, (err, zip) => {
      if (err || !zip) fail(new Refused('corrupt', err?.message ?? 'unreadable zip'));
      else ok(zip);
    });
  });
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((ok, fail) => {
    const onEntry = (e: Entry) => done(undefined, e);
    const onEnd = () => done(undefined, undefined);
    const onError = (err: Error) => done(err);
    const done = (err: Error | undefined, e?: Entry) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      if (err) fail(new Refused('corrupt', err.message));
      else ok(e);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/**
 * Counts inflated bytes as they come, never trusting the headers: more than the entry
 * declared, more than the ratio allows or more than the totals allow stops the stream.
 */
class Meter extends Transform {
  bytes = 0;
  crc = 0;
  constructor(
    private readonly entry: Entry,
    private readonly name: string,
    private readonly limits: ZipLimits,
    private readonly total: { bytes: number },
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.total.bytes += chunk.length;
    this.crc = crc32(chunk, this.crc);
    const { entry, limits, name } = this;
    if (this.bytes > entry.uncompressedSize) return cb(new Refused('zip-bomb', `inflates past its declared ${entry.uncompressedSize} bytes`, name));
    if (this.bytes > limits.ratioFloorBytes && this.bytes > Math.max(1, entry.compressedSize) * limits.maxRatio) {
      return cb(new Refused('zip-bomb', `inflates more than ${limits.maxRatio}× (${entry.compressedSize} compressed bytes)`, name));
    }
    if (this.bytes > limits.maxEntryBytes) return cb(new Refused('too-large', `entry is over ${limits.maxEntryBytes} bytes`, name));
    if (this.total.bytes > limits.maxTotalBytes) return cb(new Refused('too-large', `archive inflates to over ${limits.maxTotalBytes} bytes`, name));
    cb(null, chunk);
  }
}

/**
 * Extracts an untrusted zip into `targetDir`, which must not exist yet (it is created,
 * and removed again on refusal, so a refused zip leaves nothing behind and touches
 * nothing already saved). Every file lands inside `targetDir` (checked on the resolved
 * path); nested archives and zipper junk are skipped and listed. `onProgress` is
 * called before each entry (for a worker's job progress on a 100 MB dataset).
 */
export async function extractZip(
  zipPath: string,
  targetDir: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  onProgress?: (entriesRead: number, entryCount: number) => void,
): Promise<ZipReadResult> {
  await mkdir(targetDir, { recursive: false });
  const root = await realpath(targetDir);
  let zip: ZipFile | undefined;
  try {
    zip = await openZip(zipPath);
    if (zip.entryCount > limits.maxEntries) throw new Refused('too-many-entries', `${zip.entryCount} entries, at most ${limits.maxEntries}`);
    const files: { path: string; size: number }[] = [];
    const ignored: { path: string; why: 'nested-archive' | 'system-file' }[] = [];
    const seen = new Set<string>();
    const total = { bytes: 0 };
    let read = 0;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      onProgress?.(read++, zip.entryCount);
      const verdict = judgeEntryName(entry.fileNameRaw);
      if (verdict.kind === 'refused') throw new Refused(verdict.reason, verdict.detail, verdict.name);
      const name = verdict.name;
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw new Refused('symlink', 'symbolic links are not extracted', name);
      const key = name.toLowerCase().replace(/\/$/, '');
      if (seen.has(key)) throw new Refused('duplicate-entry', 'two entries with the same name (ignoring case)', name);
      seen.add(key);
      if (verdict.kind === 'dir') continue;
      if (isSystemJunk(name)) {
        ignored.push({ path: name, why: 'system-file' });
        continue;
      }
      if (isNestedArchive(name)) {
        ignored.push({ path: name, why: 'nested-archive' });
        continue;
      }
      if (entry.isEncrypted()) throw new Refused('encrypted', 'password-protected entries are not supported', name);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw new Refused('corrupt', `unsupported compression method ${entry.compressionMethod}`, name);
      if (entry.uncompressedSize > limits.maxEntryBytes) throw new Refused('too-large', `entry declares ${entry.uncompressedSize} bytes`, name);
      const dest = resolve(root, ...name.split('/'));
      if (!dest.startsWith(root + sep)) throw new Refused('path-traversal', 'resolves outside the target folder', name);
      await mkdir(dirname(dest), { recursive: true });
      const meter = new Meter(entry, name, limits, total);
      let source;
      try {
        source = await zip.openReadStreamPromise(entry);
      } catch (err) {
        throw new Refused('corrupt', (err as Error).message, name);
      }
      try {
        await pipeline(source, meter, createWriteStream(dest, { flags: 'wx' }));
      } catch (err) {
        if (err instanceof Refused) throw err;
        throw new Refused('corrupt', (err as Error).message, name);
      }
      if (meter.bytes !== entry.uncompressedSize) throw new Refused('corrupt', `${meter.bytes} bytes, declared ${entry.uncompressedSize}`, name);
      if (meter.crc >>> 0 !== entry.crc32 >>> 0) throw new Refused('corrupt', 'CRC-32 mismatch', name);
      files.push({ path: name, size: meter.bytes });
    }
    return { kind: 'extracted', files, ignored };
  } catch (err) {
    if (zip?.isOpen) zip.close();
    await rm(targetDir, { recursive: true, force: true });
    if (err instanceof Refused) return { kind: 'refused', reason: err.reason, detail: err.detail, ...(err.entry !== undefined ? { entry: err.entry } : {}) };
    throw err;
  }
}
