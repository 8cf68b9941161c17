import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import { PNG_5X4 } from './test-images.js';

const TOKEN = '88:history-test';

async function botSend(apiRoot: string, chatId: number, text: string): Promise<void> {
  const res = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, text }),
  });
  expect(res.ok).toBe(true);
}

describe('chat history across an emulator restart', () => {
  it('keeps messages, files and message ids; update ids start again at 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-history-'));
    try {
      const first = await startEmulator({ token: TOKEN, filesDir: dir });
      const u = first.user(42, { firstName: 'Ann' });
      await u.sendText('hello');
      const photo = await u.sendPhoto(PNG_5X4);
      await botSend(first.apiRoot, 42, 'hi Ann');
      await first.close();

      const second = await startEmulator({ token: TOKEN, filesDir: dir });
      try {
        const again = second.user(42, { firstName: 'Ann' });
        expect(again.messages().map((m) => m.text ?? (m.photo ? '[photo]' : ''))).toEqual(['hello', '[photo]', 'hi Ann']);
        expect((await again.downloadFile(photo)).equals(PNG_5X4)).toBe(true);
        const next = await again.sendText('/start');
        expect(next.message_id).toBe(4);
        const poll = await fetch(`${second.apiRoot}/bot${TOKEN}/getUpdates`, { method: 'POST' });
        const { result } = (await poll.json()) as { result: Array<{ update_id: number }> };
        expect(result.map((r) => r.update_id)).toEqual([1]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
