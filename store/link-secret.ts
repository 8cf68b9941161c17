import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The secret that signs box-editor links: LINK_SECRET when configured, else one
 * generated once into `DATA_DIR/link-secret` (mode 0600) and shared by every process
 * on that data directory (the bot signs, the web process verifies).
 */
export function ensureLinkSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(path.resolve(dataDir), 'link-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
}
