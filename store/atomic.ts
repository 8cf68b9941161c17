import { randomBytes } from 'node:crypto';
import { constants, mkdirSync, renameSync } from 'node:fs';
import { copyFile, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertInside } from './layout.js';

/** Options shared by the file helpers. */
export interface FileOptions {
  /** When set, refuse any target outside this folder (e.g. `stationPaths(...).root`). */
  within?: string;
}

/**
 * Writes `data` so that readers see either the old file or the whole new one, even
 * after a crash: write `path.tmp-<pid>-<random>` in the same folder, fsync it, rename
 * over `path`, fsync the folder. Creates the parent folder. The temporary file is
 * removed when anything fails.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: FileOptions = {}): Promise<void> {
  const dst = path.resolve(target);
  if (options.within !== undefined) assertInside(options.within, dst);
  const dir = path.dirname(dst);
  await mkdir(dir, { recursive: true });
  const tmp = tmpName(dst);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, dst);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/**
 * Moves a file, creating the destination folder. Uses rename; across filesystems
 * (EXDEV, e.g. a Docker volume) it copies to a temporary file beside `dst`, fsyncs,
 * renames into place and only then unlinks `src`, so a crash never loses the file.
 */
export async function moveFile(src: string, dst: string, options: FileOptions = {}): Promise<void> {
  const to = path.resolve(dst);
  if (options.within !== undefined) {
    assertInside(options.within, path.resolve(src));
    assertInside(options.within, to);
  }
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await rename(src, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await moveAcrossDevices(src, to);
    return;
  }
  await syncDir(path.dirname(to));
}

/** The EXDEV fallback of {@link moveFile}; exported for tests only (not from index). */
export async function moveAcrossDevices(src: string, dst: string): Promise<void> {
  const tmp = tmpName(dst);
  try {
    await copyFile(src, tmp, constants.COPYFILE_EXCL);
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, dst);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(path.dirname(dst));
  await unlink(src);
}

function tmpName(dst: string): string {
  return `${dst}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** fsyncs a folder so a rename inside it survives power loss; a no-op where unsupported. */
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Windows and some network filesystems cannot open or fsync a directory.
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close();
  }
}

/**
 * Synchronous rename inside one file system (DATA_DIR), for use inside a database
 * transaction so the file and the row move together. Refuses paths outside `within`.
 */
export function moveFileSync(src: string, dst: string, options: FileOptions = {}): void {
  const from = path.resolve(src);
  const to = path.resolve(dst);
  if (options.within !== undefined) {
    assertInside(options.within, from);
    assertInside(options.within, to);
  }
  mkdirSync(path.dirname(to), { recursive: true });
  renameSync(from, to);
}
