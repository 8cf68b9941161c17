import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/index.js';
import { tempDataDir } from '../test/harness.js';
import { startS3rver, type S3rver } from '../test/s3rver.js';
import { assertBlobKey, blobKey, blobStoreFromConfig, localBlobStore, s3BlobStore, type BlobStore } from './blobs.js';

/** The same contract, run against the DATA_DIR and against a real s3rver process. */
function contract(name: string, open: () => { blobs: BlobStore; scratch: string }): void {
  describe(name, () => {
    it('puts from a file and a buffer, reads back to a file and a buffer, byte for byte', async () => {
      const { blobs, scratch } = open();
      const src = path.join(scratch, 'photo.jpg');
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
      writeFileSync(src, bytes);
      await blobs.putFile('stations/A07/images/12.jpg', src);
      await blobs.putBuffer('stations/A07/reports/stage1.pdf', Buffer.from('%PDF-1.4 tiny'));
      expect(await blobs.getBuffer('stations/A07/images/12.jpg')).toEqual(bytes);
      const dst = path.join(scratch, 'out', 'deep', '12.jpg');
      expect(await blobs.getToFile('stations/A07/images/12.jpg', dst)).toBe(true);
      expect(readFileSync(dst)).toEqual(bytes);
      expect(String(await blobs.getBuffer('stations/A07/reports/stage1.pdf'))).toBe('%PDF-1.4 tiny');
    });

    it('tells a missing object apart (undefined, false) without writing a file', async () => {
      const { blobs, scratch } = open();
      expect(await blobs.getBuffer('stations/A07/images/none.jpg')).toBeUndefined();
      expect(await blobs.exists('stations/A07/images/none.jpg')).toBe(false);
      const dst = path.join(scratch, 'none.jpg');
      expect(await blobs.getToFile('stations/A07/images/none.jpg', dst)).toBe(false);
      expect(existsSync(dst)).toBe(false);
    });

    it('lists by prefix, overwrites, deletes', async () => {
      const { blobs } = open();
      await blobs.putBuffer('stations/B01/images/1.jpg', Buffer.from('one'));
      await blobs.putBuffer('stations/B01/images/2.jpg', Buffer.from('two'));
      await blobs.putBuffer('stations/B01/models/B01-r1.onnx', Buffer.from('model'));
      await blobs.putBuffer('stations/B010/images/9.jpg', Buffer.from('other station'));
      expect(await blobs.list('stations/B01/')).toEqual(['stations/B01/images/1.jpg', 'stations/B01/images/2.jpg', 'stations/B01/models/B01-r1.onnx']);
      expect(await blobs.list('stations/B01/images/')).toEqual(['stations/B01/images/1.jpg', 'stations/B01/images/2.jpg']);
      await blobs.putBuffer('stations/B01/images/1.jpg', Buffer.from('one, again'));
      expect(String(await blobs.getBuffer('stations/B01/images/1.jpg'))).toBe('one, again');
      expect(await blobs.exists('stations/B01/images/2.jpg')).toBe(true);
      await blobs.delete('stations/B01/images/2.jpg');
      await blobs.delete('stations/B01/images/2.jpg'); // twice: no error
      expect(await blobs.exists('stations/B01/images/2.jpg')).toBe(false);
      expect(await blobs.list('stations/B01/images/')).toEqual(['stations/B01/images/1.jpg']);
    });

    it('refuses keys that could leave DATA_DIR', async () => {
      const { blobs } = open();
      for (const bad of ['', '/etc/passwd', 'stations/../../x', 'a//b', 'a\\b', 'stations/./x']) {
        await expect(blobs.putBuffer(bad, Buffer.from('x'))).rejects.toThrow(/not a plain relative path/);
      }
    });
  });
}

// Started at collection time so a server that cannot start skips its tests by name (startS3rver prints why).
const server: S3rver | undefined = await startS3rver();
const dirs: Array<() => void> = [];
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) d();
});

function scratch(): string {
  const d = tempDataDir('blobs-');
  dirs.push(d.cleanup);
  return d.dir;
}

contract('local DATA_DIR blob store', () => ({ blobs: localBlobStore(scratch()), scratch: scratch() }));

if (server) {
  const s3 = server;
  contract('S3 blob store (s3rver in its own process, @aws-sdk/client-s3)', () => {
    const blobs = blobStoreFromConfig(loadConfig({ ...s3.env }));
    if (!blobs) throw new Error('S3_BUCKET set but no blob store');
    return { blobs, scratch: scratch() };
  });
  describe('S3 blob store: large files', () => {
    it('streams a file over the in-memory limit, byte for byte', async () => {
      const blobs = s3BlobStore({ bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', maxBufferedPut: 1024 });
      const dir = scratch();
      const src = path.join(dir, 'model.onnx');
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251));
      writeFileSync(src, bytes);
      await blobs.putFile('stations/L01/models/L01-r1.onnx', src);
      expect(await blobs.getBuffer('stations/L01/models/L01-r1.onnx')).toEqual(bytes);
    });
  });
} else {
  describe.skip('S3 blob store — SKIPPED: s3rver could not start (the line above says why)', () => {
    it('contract', () => undefined);
  });
}

describe('keys', () => {
  it('mirror DATA_DIR-relative paths and refuse files outside it', () => {
    expect(blobKey('/data', '/data/stations/A07/images/12.jpg')).toBe('stations/A07/images/12.jpg');
    expect(() => blobKey('/data', '/etc/passwd')).toThrow(/outside/);
    expect(() => assertBlobKey('stations/A07/../../x')).toThrow();
  });
});
