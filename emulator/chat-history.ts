import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorState } from './emulator-state.js';
import type { StoredFile } from './file-store.js';
import type { Message, TgUser } from './types.js';

/** The file under `filesDir` that keeps the chats across restarts of the emulator. */
export const HISTORY_FILE = 'chat-history.json';

/** How long changes gather before one write, in milliseconds. */
const SAVE_DELAY_MS = 200;

interface SavedChat {
  user: TgUser;
  messages: Message[];
  nextMessageId: number;
  version: number;
  ownerHash?: string;
}

interface SavedHistory {
  version: 1;
  chats: SavedChat[];
  files: StoredFile[];
}

/**
 * Loads the chats and files an earlier emulator left in `dir`, so the chat page shows the
 * old conversation after `npm start` restarts. Update ids start again at 1 (as a fresh Bot
 * API server's do, which the bot must accept); message ids go on from where they were.
 * A missing file is a first start; an unreadable one is set aside, not fatal.
 */
export async function loadHistory(state: EmulatorState, dir: string): Promise<void> {
  let saved: SavedHistory;
  try {
    saved = JSON.parse(await readFile(join(dir, HISTORY_FILE), 'utf8')) as SavedHistory;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    await rename(join(dir, HISTORY_FILE), join(dir, `${HISTORY_FILE}.broken-${Date.now()}`)).catch(() => undefined);
    return;
  }
  if (saved.version !== 1) return;
  for (const f of saved.files) state.files.restore({ ...f, diskPath: join(state.files.dir, f.filePath) });
  for (const c of saved.chats) {
    const chat = state.chats.ensure(c.user);
    for (const m of c.messages) chat.messages.set(m.message_id, m);
    chat.nextMessageId = Math.max(chat.nextMessageId, c.nextMessageId);
    // Past any version a page saw before the restart (a crash may lose the last write).
    chat.version = c.version + 1000;
    chat.ownerHash = c.ownerHash;
  }
}

/**
 * Saves the chats on every change (gathered for a moment) and returns `flush`, which
 * writes what is pending; the emulator calls it on close. Writes are atomic (temp file +
 * rename), so a crash leaves the previous history.
 */
export function keepHistory(state: EmulatorState, dir: string): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    const saved: SavedHistory = {
      version: 1,
      chats: state.chats.all().map((c) => {
        const chat: SavedChat = { user: c.user, messages: [...c.messages.values()], nextMessageId: c.nextMessageId, version: c.version };
        if (c.ownerHash !== undefined) chat.ownerHash = c.ownerHash;
        return chat;
      }),
      files: state.files.all(),
    };
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${HISTORY_FILE}.tmp`);
    await writeFile(tmp, JSON.stringify(saved), { mode: 0o600 });
    await rename(tmp, join(dir, HISTORY_FILE));
  };
  const save = (): void => {
    timer = undefined;
    writing = writing.then(write).catch(() => undefined);
  };
  state.chats.onChange(() => {
    timer ??= setTimeout(save, SAVE_DELAY_MS);
  });
  return async () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      save();
    }
    await writing;
  };
}
