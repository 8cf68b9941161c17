import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real S3-compatible server (s3rver) in its own process, on a free port of 127.0.0.1, storing in a temp folder. */
export interface S3rver {
  endpoint: string;
  bucket: string;
  /** The `S3_*` variables that point the product at it. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts `s3rver` (npm) as a child process with one bucket. Resolves undefined — after
 * printing why — when it cannot start, so the caller skips loudly instead of passing silently.
 */
export async function startS3rver(bucket = 'copilot-test'): Promise<S3rver | undefined> {
  let bin: string;
  try {
    bin = join(createRequire(import.meta.url).resolve('s3rver/package.json'), '..', 'bin', 's3rver.js');
  } catch {
    console.warn('SKIP: s3rver is not installed (npm ci installs it); the S3 tests did not run');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  const child: ChildProcess = spawn(process.execPath, [bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent', '--configure-bucket', bucket], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 15_000);
    const onData = (d: Buffer): void => {
      out += String(d);
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (port === undefined) {
    console.warn(`SKIP: s3rver did not start; the S3 tests did not run. Its output:\n${out}`);
    await stop();
    return undefined;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_REGION: 'us-east-1' },
    stop,
  };
}
