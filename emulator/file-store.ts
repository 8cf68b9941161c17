import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { imageSize } from './image-size.js';
import type { PhotoSize, TgDocument } from './types.js';

/** Whether a file was sent as a compressed photo or as a general file. */
export type FileKind = 'photo' | 'document';

/** One file the emulator holds: what `getFile` and the file download route serve. */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  kind: FileKind;
  /** Relative path as returned by `getFile`, e.g. `photos/file_3_9f1c2a7b.jpg`. */
  filePath: string;
  /** Absolute path on disk, under the store's directory. */
  diskPath: string;
  /** Bytes. */
  size: number;
  fileName?: string;
  mimeType: string;
  /** Pixels from the image header; 0 when unknown or not an image. */
  width: number;
  height: number;
}

/** What the caller knows about a new file; the store works out the rest. */
export interface NewFile {
  kind: FileKind;
  fileName?: string;
  /** Authoritative when given; otherwise inferred from the name or image header. */
  mimeType?: string;
}

const MIME_BY_EXT: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.html': 'text/html',
};

/** The MIME type Telegram would report for a file name; octet-stream when unknown. */
export function mimeTypeFor(fileName: string | undefined): string {
  return (fileName && MIME_BY_EXT[extname(fileName).toLowerCase()]) || 'application/octet-stream';
}

// Telegram file ids are opaque base64url strings; the prefixes imitate the real ones
// so that ids look familiar in logs, nothing reads them.
const ID_PREFIX: Readonly<Record<FileKind, string>> = { photo: 'AgACAgIAAxkBAA', document: 'BQACAgIAAxkBAA' };
const UNIQUE_PREFIX: Readonly<Record<FileKind, string>> = { photo: 'AQAD', document: 'AgAD' };

/**
 * Keeps uploaded files on disk under one directory and indexes them by `file_id` and
 * by `file_path`. Every upload is a new file with new ids, as on Telegram; sending an
 * existing `file_id` reuses the stored file.
 */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;
  // Distinguishes this run's files from an earlier run's in a reused directory.
  private readonly runTag = randomBytes(4).toString('hex');

  constructor(readonly dir: string) {}

  /** Writes `bytes` to disk and registers a new file. */
  async put(bytes: Buffer, meta: NewFile): Promise<StoredFile> {
    const size = imageSize(bytes);
    const n = ++this.counter;
    const ext = extensionFor(meta.fileName, size?.format, meta.kind);
    const filePath = `${meta.kind === 'photo' ? 'photos' : 'documents'}/file_${n}_${this.runTag}${ext}`;
    const diskPath = join(this.dir, filePath);
    await mkdir(join(this.dir, meta.kind === 'photo' ? 'photos' : 'documents'), { recursive: true });
    await writeFile(diskPath, bytes);
    const file: StoredFile = {
      fileId: ID_PREFIX[meta.kind] + randomBytes(24).toString('base64url'),
      fileUniqueId: UNIQUE_PREFIX[meta.kind] + randomBytes(9).toString('base64url'),
      kind: meta.kind,
      filePath,
      diskPath,
      size: bytes.length,
      mimeType: meta.mimeType ?? inferMimeType(meta.fileName, size?.format),
      width: size?.width ?? 0,
      height: size?.height ?? 0,
    };
    if (meta.fileName !== undefined) file.fileName = meta.fileName;
    this.byId.set(file.fileId, file);
    this.byPath.set(file.filePath, file);
    return file;
  }

  /** Every file, for saving the history. */
  all(): StoredFile[] {
    return [...this.byId.values()];
  }

  /** Registers a file an earlier run stored (from the saved history). */
  restore(file: StoredFile): void {
    this.byId.set(file.fileId, file);
    this.byPath.set(file.filePath, file);
  }

  /** The file with this `file_id`, if any. */
  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  /** The file with this `file_path` (as returned by `getFile`), if any. */
  getByPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  /** The bytes of a stored file. */
  read(file: StoredFile): Promise<Buffer> {
    return readFile(file.diskPath);
  }
}

function inferMimeType(fileName: string | undefined, format: string | undefined): string {
  const byName = mimeTypeFor(fileName);
  if (byName !== 'application/octet-stream') return byName;
  return format ? `image/${format}` : byName;
}

function extensionFor(fileName: string | undefined, format: string | undefined, kind: FileKind): string {
  const fromName = fileName ? extname(fileName).toLowerCase() : '';
  // Keep only tame extensions: file_path ends up in URLs and on disk.
  if (/^\.[a-z0-9]{1,8}$/.test(fromName)) return fromName;
  if (format === 'jpeg') return '.jpg';
  if (format === 'png') return '.png';
  return kind === 'photo' ? '.jpg' : '';
}

/** The `PhotoSize` array of a stored photo (one size: the bytes as uploaded). */
export function photoSizes(file: StoredFile): PhotoSize[] {
  return [
    { file_id: file.fileId, file_unique_id: file.fileUniqueId, width: file.width, height: file.height, file_size: file.size },
  ];
}

/** The `Document` object of a stored file. */
export function documentOf(file: StoredFile): TgDocument {
  const doc: TgDocument = { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, mime_type: file.mimeType };
  if (file.fileName !== undefined) doc.file_name = file.fileName;
  return doc;
}
