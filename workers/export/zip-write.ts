import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { InvariantError } from '../../core/index.js';
import { judgeEntryName } from './zip-names.js';

/** A zip entry: text or bytes in memory, or a file on disk streamed in. */
export type ZipWriteEntry = { path: string; content: string | Buffer } | { path: string; filePath: string };

/** Below this, text is stored: hundreds of tiny label files otherwise cost one zlib context each. */
const SMALL_BYTES = 4096;

/** Already-compressed files are stored, not deflated again (no gain, only CPU). */
const STORED = /\.(jpe?g|png|webp|gif|zip|gz|onnx|pt|pdf)$/i;

/**
 * Streams a zip to `target` through a temp file in the same folder and renames it into
 * place, so a reader never sees half a zip and a crash leaves the previous one intact.
 * Entry paths must be safe relative `/` paths (the same rules the reader enforces).
 */
export async function writeZip(target: string, entries: readonly ZipWriteEntry[]): Promise<{ bytes: number; entries: number }> {
  const zip = new yazl.ZipFile();
  const seen = new Set<string>();
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const e of entries) {
    const verdict = judgeEntryName(Buffer.from(e.path, 'utf8'));
    if (verdict.kind !== 'file') throw new InvariantError(`zip entry ${JSON.stringify(e.path)} is not a safe relative file path`);
    if (seen.has(e.path)) throw new InvariantError(`zip entry ${e.path} added twice`);
    seen.add(e.path);
    if ('filePath' in e) {
      zip.addFile(e.filePath, e.path, { compress: !STORED.test(e.path), mtime });
    } else {
      const buf = typeof e.content === 'string' ? Buffer.from(e.content, 'utf8') : e.content;
      // A deflate stream costs more to set up than it saves on a 100-byte label file.
      zip.addBuffer(buf, e.path, { compress: buf.length > SMALL_BYTES && !STORED.test(e.path), mtime });
    }
  }
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // yazl reports unreadable source files on the ZipFile, not on its stream.
  zip.on('error', (err: Error) => (zip.outputStream as unknown as Readable).destroy(err));
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(tmp, { flags: 'wx' }));
    const { size } = await stat(tmp);
    await rename(tmp, target);
    return { bytes: size, entries: entries.length };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
