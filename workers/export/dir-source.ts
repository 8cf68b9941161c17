import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DatasetSource } from '../../core/index.js';

/** Text entries larger than this are refused rather than read into memory (a 5 000-photo COCO json is ~5 MB). */
const MAX_TEXT_BYTES = 200 * 1024 * 1024;

/**
 * A `DatasetSource` over a folder that `extractZip` filled: `files` are its result (only
 * those paths are visible), `imageSize` is the caller's (vision's upright size).
 */
export function dirSource(
  dir: string,
  files: readonly { path: string; size: number }[],
  imageSize: (absPath: string) => Promise<{ width: number; height: number } | undefined>,
): DatasetSource {
  const known = new Map(files.map((f) => [f.path, f.size]));
  const abs = (path: string) => {
    const size = known.get(path);
    if (size === undefined) throw new Error(`${path} is not an extracted entry`);
    return { file: resolve(dir, ...path.split('/')), size };
  };
  return {
    entries: files,
    readText: async (path) => {
      const { file, size } = abs(path);
      if (size > MAX_TEXT_BYTES) throw new Error(`${path} is ${size} bytes: too large to read as text`);
      return (await readFile(file)).toString('utf8').replace(/^\uFEFF/, '');
    },
    imageSize: async (path) => imageSize(abs(path).file),
  };
}
