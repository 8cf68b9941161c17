import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ZIP_LIMITS, extractZip, writeZip, type ZipReadResult } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zip-int-'));
  await writeFile(join(dir, 'saved.txt'), 'already saved');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Add = (zip: yazl.ZipFile) => void;

/** Builds a zip in memory with yazl. */
function build(add: Add): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  add(zip);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((ok, fail) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => ok(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}

/** Replaces every occurrence of a placeholder name (local header and central directory) with raw bytes of the same length. */
function patchName(zip: Buffer, placeholder: string, raw: Buffer): Buffer {
  const from = Buffer.from(placeholder, 'utf8');
  expect(raw.length).toBe(from.length);
  let at = zip.indexOf(from);
  expect(at).toBeGreaterThan(0);
  while (at >= 0) {
    raw.copy(zip, at);
    at = zip.indexOf(from, at + 1);
  }
  return zip;
}

/** Offset of the first central-directory header. */
function central(zip: Buffer): number {
  const at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  expect(at).toBeGreaterThan(0);
  return at;
}

async function extract(zip: Buffer, limits = DEFAULT_ZIP_LIMITS): Promise<ZipReadResult> {
  const path = join(dir, 'upload.zip');
  await writeFile(path, zip);
  return extractZip(path, join(dir, 'out'), limits);
}

/** Nothing was left behind: only what the test itself wrote is in the folder, untouched. */
async function expectUntouched(): Promise<void> {
  expect((await readdir(dir)).sort()).toEqual(['saved.txt', 'upload.zip']);
  expect(await readFile(join(dir, 'saved.txt'), 'utf8')).toBe('already saved');
}

function refusal(r: ZipReadResult): [string, string | undefined] {
  if (r.kind !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(r).slice(0, 200)}`);
  return [r.reason, r.entry];
}

describe('extractZip refuses each bad zip by name and writes nothing', () => {
  it('corrupt: random bytes, and a good zip cut short', async () => {
    expect(refusal(await extract(randomBytes(5000)))[0]).toBe('corrupt');
    await expectUntouched();
    const good = await build((z) => z.addBuffer(randomBytes(20_000), 'a.bin'));
    expect(refusal(await extract(good.subarray(0, good.length - 200)))[0]).toBe('corrupt');
    await expectUntouched();
  });

  it('corrupt: a CRC that does not match the data', async () => {
    const zip = await build((z) => z.addBuffer(Buffer.from('hello world'), 'a.txt'));
    zip.writeUInt32LE((zip.readUInt32LE(central(zip) + 16) ^ 1) >>> 0, central(zip) + 16);
    expect(await extract(zip)).toMatchObject({ kind: 'refused', reason: 'corrupt', entry: 'a.txt', detail: 'CRC-32 mismatch' });
    await expectUntouched();
  });

  it('zip bomb: an entry inflating past the ratio limit', async () => {
    const zip = await build((z) => z.addBuffer(Buffer.alloc(16 * 1024 ** 2), 'zeros.bin'));
    expect(zip.length).toBeLessThan(100_000);
    expect(refusal(await extract(zip))).toEqual(['zip-bomb', 'zeros.bin']);
    await expectUntouched();
  });

  it('zip bomb: headers that lie about the inflated size are not trusted', async () => {
    const zip = await build((z) => z.addBuffer(Buffer.alloc(3 * 1024 ** 2, 7), 'liar.bin'));
    zip.writeUInt32LE(1000, central(zip) + 24);
    const r = await extract(zip, { ...DEFAULT_ZIP_LIMITS, maxRatio: 1e9 });
    expect(r).toMatchObject({ kind: 'refused', reason: 'zip-bomb', entry: 'liar.bin' });
    await expectUntouched();
  });

  it('too large: total inflated bytes over the limit, counted while inflating', async () => {
    const zip = await build((z) => {
      for (let i = 0; i < 4; i++) z.addBuffer(randomBytes(400_000), `part${i}.bin`);
    });
    expect(refusal(await extract(zip, { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 1_000_000 }))).toEqual(['too-large', 'part2.bin']);
    await expectUntouched();
  });

  for (const [evil, why] of [
    ['../evil.txt', 'dot-dot'],
    ['/tmp/evil1', 'absolute'],
    ['a\\..\\..\\e.t', 'backslashes'],
    ['C:/evil.txt', 'drive letter'],
    ['ok/./../x.t', 'dot segments'],
  ] as const) {
    it(`path traversal (${why}): ${evil}`, async () => {
      const placeholder = 'p'.repeat(Buffer.byteLength(evil));
      const zip = patchName(await build((z) => z.addBuffer(Buffer.from('pwned'), placeholder)), placeholder, Buffer.from(evil, 'utf8'));
      expect(refusal(await extract(zip))).toEqual(['path-traversal', evil]);
      await expectUntouched();
      expect((await readdir(join(dir, '..'))).includes('evil.txt')).toBe(false);
    });
  }

  it('10 000 tiny files: too many entries, refused before any is read', async () => {
    const zip = await build((z) => {
      for (let i = 0; i < 10_000; i++) z.addBuffer(Buffer.from('x'), `f/${i}.txt`, { compress: false });
    });
    expect(await extract(zip)).toEqual({ kind: 'refused', reason: 'too-many-entries', detail: '10000 entries, at most 5000' });
    await expectUntouched();
  });

  it('symlink entries', async () => {
    const zip = await build((z) => {
      z.addBuffer(Buffer.from('ok'), 'a.txt');
      z.addBuffer(Buffer.from('/etc/passwd'), 'link', { mode: 0o120777 });
    });
    expect(refusal(await extract(zip))).toEqual(['symlink', 'link']);
    await expectUntouched();
  });

  it('non-UTF-8 names (GBK from an old Windows zipper) are named by their bytes in hex', async () => {
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x2e, 0x6a, 0x70, 0x67]); // 你好.jpg in GBK
    const zip = patchName(await build((z) => z.addBuffer(Buffer.from('x'), 'qqqq.jpg')), 'qqqq.jpg', gbk);
    expect(await extract(zip)).toMatchObject({ kind: 'refused', reason: 'non-utf8-name', entry: 'hex:c4e3bac32e6a7067' });
    await expectUntouched();
  });

  it('password-protected entries', async () => {
    const zip = await build((z) => z.addBuffer(Buffer.from('secret'), 'a.txt'));
    const flag = central(zip) + 8;
    zip.writeUInt16LE(zip.readUInt16LE(flag) | 1, flag);
    expect(refusal(await extract(zip))).toEqual(['encrypted', 'a.txt']);
    await expectUntouched();
  });

  it('two entries whose names differ only in case', async () => {
    const zip = await build((z) => {
      z.addBuffer(Buffer.from('1'), 'labels/a.txt');
      z.addBuffer(Buffer.from('2'), 'labels/A.txt');
    });
    expect(refusal(await extract(zip))).toEqual(['duplicate-entry', 'labels/A.txt']);
    await expectUntouched();
  });

  it('a good zip: files extracted inside the target, UTF-8 Chinese names kept, nested zips and junk skipped, empty folders not made', async () => {
    const inner = await build((z) => z.addBuffer(Buffer.alloc(1000), 'x.bin'));
    const zip = await build((z) => {
      z.addBuffer(Buffer.from('你好'), '数据集/说明.txt');
      z.addEmptyDirectory('数据集/空/');
      z.addBuffer(inner, '数据集/more.zip');
      z.addBuffer(Buffer.from('junk'), '__MACOSX/数据集/._说明.txt');
      z.addBuffer(randomBytes(300_000), 'b.bin', { compress: false });
    });
    const path = join(dir, 'upload.zip');
    await writeFile(path, zip);
    const progress: string[] = [];
    const r = await extractZip(path, join(dir, 'out'), DEFAULT_ZIP_LIMITS, (n, total) => progress.push(`${n}/${total}`));
    expect(progress).toEqual(['0/5', '1/5', '2/5', '3/5', '4/5']);
    expect(r).toEqual({
      kind: 'extracted',
      files: [{ path: '数据集/说明.txt', size: 6 }, { path: 'b.bin', size: 300_000 }],
      ignored: [{ path: '数据集/more.zip', why: 'nested-archive' }, { path: '__MACOSX/数据集/._说明.txt', why: 'system-file' }],
    });
    expect(await readFile(join(dir, 'out', '数据集', '说明.txt'), 'utf8')).toBe('你好');
    expect((await readdir(join(dir, 'out', '数据集'))).sort()).toEqual(['说明.txt']);
  });
});

describe('writeZip', () => {
  it('streams entries from memory and disk into a zip that extracts to the same bytes, renamed into place', async () => {
    const photo = randomBytes(50_000);
    await writeFile(join(dir, 'p.jpg'), photo);
    const target = join(dir, 'A07.zip');
    const { bytes } = await writeZip(target, [
      { path: 'A07/yolo/data.yaml', content: 'nc: 1\n' },
      { path: 'A07/yolo/images/train/p.jpg', filePath: join(dir, 'p.jpg') },
    ]);
    expect(bytes).toBeGreaterThan(50_000);
    expect((await readdir(dir)).sort()).toEqual(['A07.zip', 'p.jpg', 'saved.txt']);
    const r = await extractZip(target, join(dir, 'back'));
    expect(r.kind === 'extracted' && r.files.map((f) => f.path)).toEqual(['A07/yolo/data.yaml', 'A07/yolo/images/train/p.jpg']);
    expect((await readFile(join(dir, 'back', 'A07', 'yolo', 'images', 'train', 'p.jpg'))).equals(photo)).toBe(true);
  });

  it('a missing source file fails the write and leaves no partial zip', async () => {
    await expect(writeZip(join(dir, 'x.zip'), [{ path: 'a.jpg', filePath: join(dir, 'nope.jpg') }])).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['saved.txt']);
  });

  it('refuses unsafe entry paths', async () => {
    await expect(writeZip(join(dir, 'x.zip'), [{ path: '../a.txt', content: 'x' }])).rejects.toThrow(/not a safe relative file path/);
  });
});
