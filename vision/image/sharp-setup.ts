/**
 * Process-wide sharp (libvips) settings for the processes that decode photos. Called
 * once by an entry point (the ingest worker, the bench), never on import: the settings
 * are global to the process.
 */
import sharp from 'sharp';

/** Options of `configureSharp`. */
export interface SharpSettings {
  /**
   * libvips threads per pipeline (default 1). `inspectImage` already runs its two
   * pipelines side by side on libuv's pool, a worker runs several jobs at once, and a
   * JPEG decode is sequential anyway; on the 2-core target, 2 threads measured no faster.
   */
  readonly threadsPerImage?: number;
  /**
   * libvips operation cache, MB (default 0 = off). Every upload is a new image, so the
   * cache only holds memory.
   */
  readonly cacheMb?: number;
}

/** Applies `settings` to the process's sharp instance; returns the values now in force. */
export function configureSharp(settings: SharpSettings = {}): { threadsPerImage: number; cacheMb: number } {
  const threads = settings.threadsPerImage ?? 1;
  const cacheMb = settings.cacheMb ?? 0;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`configureSharp: threadsPerImage must be a positive integer, got ${threads}`);
  }
  if (!(cacheMb >= 0)) throw new RangeError(`configureSharp: cacheMb must be ≥ 0, got ${cacheMb}`);
  sharp.concurrency(threads);
  sharp.cache(cacheMb === 0 ? false : { memory: cacheMb, files: 0, items: 100 });
  return { threadsPerImage: sharp.concurrency(), cacheMb: sharp.cache().memory.max };
}
