import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * DATA_DIR holds ID numbers (sealed), photos and secrets: only the product's user may
 * read it. The folder is made 0700 and the database files 0600; looser modes found at
 * start are narrowed, and a folder or file we cannot narrow (another owner) stops
 * start-up with a message that says how to fix it.
 */

function narrow(file: string, mode: number, what: string): void {
  const st = statSync(file);
  if ((st.mode & 0o777 & ~mode) === 0) return;
  try {
    chmodSync(file, mode);
  } catch (err) {
    throw new Error(
      `store: ${what} ${file} is mode ${(st.mode & 0o777).toString(8)} and cannot be narrowed to ${mode.toString(8)} ` +
        `(${(err as NodeJS.ErrnoException).code ?? 'error'}); run \`chmod ${mode.toString(8)} ${file}\` as its owner or choose another DATA_DIR`,
    );
  }
}

/** Creates DATA_DIR (0700) or narrows an existing one. */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  narrow(dataDir, 0o700, 'DATA_DIR');
}

/**
 * Makes the database file exist as 0600 before SQLite opens it (SQLite gives -wal and
 * -shm the database file's mode) and narrows any of the three that are looser.
 */
export function secureDatabaseFiles(dbPath: string): void {
  if (!existsSync(dbPath)) closeSync(openSync(dbPath, 'a', 0o600));
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    if (existsSync(file)) narrow(file, 0o600, 'database file');
  }
}
