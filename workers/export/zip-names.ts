/**
 * Entry names of an untrusted zip, judged from their raw bytes (yauzl runs with
 * `decodeStrings: false`, so nothing is decoded or trusted before this).
 */

export type NameVerdict =
  | { kind: 'file'; name: string }
  | { kind: 'dir'; name: string }
  | { kind: 'refused'; reason: 'non-utf8-name' | 'path-traversal'; name: string; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a name as strict UTF-8 (whatever the zip's UTF-8 flag says: CP437/GBK names
 * from old Windows zippers come out as mojibake otherwise, so they are refused and named
 * by their bytes in hex), then refuses anything that could land outside the target
 * folder: absolute paths, `..`, backslashes, drive letters or other colons, NUL, and empty
 * or `.` segments.
 */
export function judgeEntryName(raw: Buffer): NameVerdict {
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    const hex = raw.toString('hex');
    return { kind: 'refused', reason: 'non-utf8-name', name: `hex:${hex}`, detail: `entry name is not UTF-8 (bytes ${hex})` };
  }
  const bad = (detail: string): NameVerdict => ({ kind: 'refused', reason: 'path-traversal', name, detail });
  if (name === '') return bad('empty entry name');
  if (name.includes('\0')) return bad('NUL in entry name');
  if (name.includes('\\')) return bad('backslash in entry name');
  if (name.startsWith('/')) return bad('absolute path');
  if (/^[A-Za-z]:/.test(name) || name.includes(':')) return bad('drive letter or colon in entry name');
  const isDir = name.endsWith('/');
  const segments = (isDir ? name.slice(0, -1) : name).split('/');
  if (segments.some((s) => s === '..')) return bad('".." in entry name');
  if (segments.some((s) => s === '' || s === '.')) return bad('empty or "." segment in entry name');
  return isDir ? { kind: 'dir', name } : { kind: 'file', name };
}

/** Files a zipper adds that are not part of any dataset (macOS resource forks, Windows thumbnails). */
export function isSystemJunk(name: string): boolean {
  return /(^|\/)__MACOSX\//.test(name) || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(name);
}

/** Archives inside the archive are not opened (each layer would multiply the limits). */
export function isNestedArchive(name: string): boolean {
  return /\.(zip|7z|rar|tar|tgz|gz|bz2|xz|zst)$/i.test(name);
}
