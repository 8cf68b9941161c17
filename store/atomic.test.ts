import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveAcrossDevices, moveFile, writeFileAtomic } from './atomic.js';
import { tempDir } from './test-fixtures/temp-store.js';

describe('atomic file helpers', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('writeFileAtomic writes, replaces, creates the folder and leaves no tmp files', async () => {
    const target = path.join(dir, 'labels', 'a.txt');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, new Uint8Array([104, 105]));
    expect(readFileSync(target, 'utf8')).toBe('hi');
    expect(readdirSync(path.dirname(target))).toEqual(['a.txt']);
  });

  it('many concurrent writers to one file leave one whole version and no tmp files', async () => {
    const target = path.join(dir, 'x.json');
    const bodies = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(10_000) }));
    await Promise.all(bodies.map((b) => writeFileAtomic(target, b)));
    expect(bodies).toContain(readFileSync(target, 'utf8'));
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('writeFileAtomic removes its tmp file when the rename fails', async () => {
    const target = path.join(dir, 'occupied');
    await writeFileAtomic(path.join(target, 'inner'), 'x'); // `occupied` is now a non-empty folder
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['occupied']);
  });

  it('refuses targets outside `within`', async () => {
    const root = path.join(dir, 'stations', 'S01');
    await expect(writeFileAtomic(path.join(root, '..', 'S02', 'a'), 'x', { within: root })).rejects.toThrow(/outside/);
    await expect(moveFile(path.join(root, 'a'), path.join(dir, 'b'), { within: root })).rejects.toThrow(/outside/);
    expect(existsSync(path.join(dir, 'stations', 'S02'))).toBe(false);
  });

  it('moveFile renames into a new folder', async () => {
    const src = path.join(dir, 'src.jpg');
    writeFileSync(src, 'img');
    const dst = path.join(dir, 'rejected', 'src.jpg');
    await moveFile(src, dst);
    expect(existsSync(src)).toBe(false);
    expect(readFileSync(dst, 'utf8')).toBe('img');
  });

  it('the cross-device fallback copies, renames into place and removes the source', async () => {
    const src = path.join(dir, 'src.jpg');
    writeFileSync(src, 'img');
    const dst = path.join(dir, 'dst.jpg');
    writeFileSync(dst, 'old');
    await moveAcrossDevices(src, dst);
    expect(readFileSync(dst, 'utf8')).toBe('img');
    expect(readdirSync(dir)).toEqual(['dst.jpg']);
  });
});
