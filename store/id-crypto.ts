import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * ID numbers are kept out of the database in clear: AES-256-GCM with a key that lives
 * outside the database (`DATA_DIR/id-key`, 0600, generated once), so a copied
 * `copilot.db` alone reveals no ID number. A keyed digest (HMAC-SHA256) lets the store
 * compare an ID number without decrypting; only the hand-in folder name decrypts.
 */

/** Prefix of a sealed value: version 1 = base64url(iv 12 | tag 16 | ciphertext). */
export const SEALED_PREFIX = 'v1:';

export interface IdCipher {
  seal(plain: string): string;
  /** The plain ID number; throws when the value was sealed with another key. */
  open(sealed: string): string;
  /** Keyed digest for equality checks (hex). */
  digest(plain: string): string;
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The cipher for a 32-byte key. */
export function idCipher(key: Buffer): IdCipher {
  if (key.length !== 32) throw new Error('store: the ID key must be 32 bytes (64 hex characters in DATA_DIR/id-key)');
  const macKey = createHmac('sha256', key).update('id-digest').digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url');
    },
    open(sealed) {
      if (!isSealed(sealed)) throw new Error('store: not a sealed ID number');
      const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new Error('store: an ID number cannot be decrypted with DATA_DIR/id-key; restore the id-key file this database was made with');
      }
    },
    digest: (plain) => createHmac('sha256', macKey).update(plain).digest('hex'),
  };
}

/**
 * The key in `DATA_DIR/id-key` (64 hex characters, 0600), made once. Created by
 * link(2) from a complete temporary file, so a process racing another never reads a
 * half-written key; a group- or world-readable key file is narrowed to 0600.
 */
export function ensureIdKey(dataDir: string): Buffer {
  const file = path.join(path.resolve(dataDir), 'id-key');
  const read = (): Buffer | undefined => {
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`store: ${file} is not 64 hex characters; restore it from a backup (ID numbers cannot be read without it)`);
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return Buffer.from(text, 'hex');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  const existing = read();
  if (existing) return existing;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, randomBytes(32).toString('hex'), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  const made = read();
  if (!made) throw new Error(`store: could not create ${file}`);
  return made;
}
