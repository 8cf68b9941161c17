import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator.js';
import { PNG_5X4 } from './test-images.js';
import type { Message } from './types.js';

const TOKEN = '42:client-test';
let emu: Emulator;

/** Plays the bot's side with plain Bot API calls. */
async function botCall<T = Message>(method: string, body: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${emu.apiRoot}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await res.json()) as { ok: boolean; result: T; description?: string };
  if (!data.ok) throw new Error(data.description);
  return data.result;
}

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN, defaultTimeoutMs: 1000 });
});
afterAll(() => emu.close());

describe('TestUser', () => {
  it('keeps every bot message in the inbox, so replies sent before nextMessage are not lost', async () => {
    const u = emu.user(1);
    const mine = await u.sendText('/start');
    await botCall('sendMessage', { chat_id: 1, text: 'one' });
    await botCall('sendMessage', { chat_id: 1, text: 'two' });
    expect(u.unreadMessages().map((m) => m.text)).toEqual(['one', 'two']);
    expect((await u.nextMessage()).text).toBe('one');
    expect((await u.nextMessage()).text).toBe('two');
    const later = u.nextMessage(); // waits: the inbox is empty now
    await botCall('sendMessage', { chat_id: 1, text: 'three' });
    expect((await later).text).toBe('three');
    expect(mine.message_id).toBe(1);
    expect(u.messages().map((m) => m.message_id)).toEqual([1, 2, 3, 4]);
  });

  it('times out with the chat transcript in the message', async () => {
    const u = emu.user(2);
    await expect(u.nextMessage({ timeoutMs: 50 })).rejects.toThrow(/Timed out after 50 ms[\s\S]*chat 2/);
  });

  it('presses callback buttons by text or pattern on the newest message, and refuses URL buttons', async () => {
    const u = emu.user(3);
    const keyboard = (data: string) => ({
      inline_keyboard: [[{ text: 'OK', callback_data: data }, { text: 'Web', url: 'https://example.org' }]],
    });
    await botCall('sendMessage', { chat_id: 3, text: 'old', reply_markup: keyboard('v1:old') });
    const fresh = await botCall('sendMessage', { chat_id: 3, text: 'new', reply_markup: keyboard('v1:new') });
    await u.press('OK');
    await u.press(/^O/, { messageId: 1 });
    await expect(u.press('Web')).rejects.toThrow(/opens https:\/\/example.org/);
    await expect(u.press('Missing')).rejects.toThrow(/No inline button/);
    await expect(u.pressData(99, 'x')).rejects.toThrow(/does not exist/);
    const updates = await botCall<Array<{ callback_query?: { data?: string; message?: Message } }>>('getUpdates', {});
    const presses = updates.filter((x) => x.callback_query?.message?.chat.id === 3).map((x) => x.callback_query);
    expect(presses.map((q) => [q?.data, q?.message?.message_id])).toEqual([
      ['v1:new', fresh.message_id],
      ['v1:old', 1],
    ]);
  });

  it('waits for edits and for callback answers', async () => {
    const u = emu.user(4);
    const sent = await botCall('sendMessage', { chat_id: 4, text: 'working…', reply_markup: { inline_keyboard: [[{ text: 'Stop', callback_data: 's' }]] } });
    const queryId = await u.press('Stop');
    const edited = u.waitForMessage(sent.message_id, (m) => m.text === 'done');
    await botCall('answerCallbackQuery', { callback_query_id: queryId, text: 'Stopped', show_alert: true });
    await botCall('editMessageText', { chat_id: 4, message_id: sent.message_id, text: 'done' });
    expect((await edited).reply_markup).toBeUndefined();
    expect(await u.callbackAnswer(queryId)).toMatchObject({ text: 'Stopped', showAlert: true, userId: 4 });
    expect((await u.waitFor((m) => m.text === 'done')).message_id).toBe(sent.message_id);
    // An edit is not a new message: the inbox holds the message as it was sent.
    expect((await u.nextMessage()).text).toBe('working…');
  });

  it('keeps reply keyboards on the chat and blocks the bot on request', async () => {
    const u = emu.user(5);
    await botCall('sendMessage', { chat_id: 5, text: 'pick', reply_markup: { keyboard: [['A', 'B']], one_time_keyboard: true } });
    expect(u.replyKeyboard()?.keyboard.flat().map((b) => b.text)).toEqual(['A', 'B']);
    await u.sendText('A');
    expect(u.replyKeyboard()).toBeUndefined();
    u.block();
    await expect(botCall('sendMessage', { chat_id: 5, text: 'hi' })).rejects.toThrow('Forbidden: bot was blocked by the user');
    u.unblock();
    await botCall('sendMessage', { chat_id: 5, text: 'hi' });
  });

  it('sends albums as separate messages sharing a media_group_id, and downloads files', async () => {
    const u = emu.user(6);
    const sent = await u.sendAlbum([
      { buf: Buffer.from('a'), asDocument: true, filename: 'a.csv', caption: 'both' },
      { buf: Buffer.from('bb'), asDocument: true, filename: 'b.csv' },
    ]);
    expect(sent.map((m) => [m.document?.file_name, m.document?.mime_type, m.caption])).toEqual([
      ['a.csv', 'text/csv', 'both'],
      ['b.csv', 'text/csv', undefined],
    ]);
    expect(new Set(sent.map((m) => m.media_group_id)).size).toBe(1);
    expect((await u.downloadFile(sent[1] as Message)).toString()).toBe('bb');
    await expect(u.sendAlbum([{ buf: Buffer.from('x') }, { buf: Buffer.from('y'), asDocument: true }])).rejects.toThrow(/mix/);
  });

  it('gives ten albums sent at once ten distinct media_group_ids, as strings', async () => {
    // Issue 10 point 7: ids built as numbers past 2^53 collapsed, and albums merged.
    const albums = await Promise.all(
      Array.from({ length: 10 }, (_, a) =>
        emu.user(100 + a).sendAlbum(Array.from({ length: 10 }, () => ({ buf: PNG_5X4 }))),
      ),
    );
    const ids = albums.map((sent) => {
      expect(new Set(sent.map((m) => m.media_group_id)).size).toBe(1);
      return sent[0]?.media_group_id;
    });
    for (const id of ids) expect(id).toMatch(/^\d+$/);
    expect(new Set(ids).size).toBe(10);
  });
});
