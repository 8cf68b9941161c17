import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_MODIFIED } from './api-error.js';
import { startEmulator, type Emulator } from './emulator.js';
import { PNG_5X4 } from './test-images.js';
import type { Message } from './types.js';

const TOKEN = '123456:TEST-token_abc';
let emu: Emulator;

interface Reply {
  status: number;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string };
}

async function call(method: string, body: unknown = {}, token = TOKEN): Promise<Reply> {
  const init: RequestInit =
    body instanceof FormData || body instanceof URLSearchParams
      ? { method: 'POST', body }
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`${emu.apiRoot}/bot${token}/${method}`, init);
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

async function ok<T>(method: string, body: unknown = {}): Promise<T> {
  const r = await call(method, body);
  if (!r.body.ok) throw new Error(`${method} failed: ${r.body.description}`);
  return r.body.result as T;
}

async function uploadedPhotoId(): Promise<string> {
  const form = new FormData();
  form.append('chat_id', '42');
  form.append('photo', new Blob([PNG_5X4]), 'p.png');
  const sent = await ok<Message>('sendPhoto', form);
  return sent.photo?.[0]?.file_id ?? '';
}

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN, botUsername: 'copilot_test_bot' });
  emu.user(42, { firstName: 'Ann' });
});
afterAll(() => emu.close());

describe('Bot API surface', () => {
  it('rejects a wrong token and an unknown method exactly like Telegram', async () => {
    expect(await call('getMe', {}, '123456:wrong')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await call('sendTelepathy')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
  });

  it('answers getMe with the id from the token, method names case-insensitive', async () => {
    expect(await ok('GETME')).toMatchObject({ id: 123456, is_bot: true, username: 'copilot_test_bot' });
  });

  it('words send errors as Telegram does', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['sendMessage', { chat_id: 999, text: 'x' }, 'Bad Request: chat not found'],
      ['sendMessage', { text: 'x' }, 'Bad Request: chat_id is empty'],
      ['sendMessage', { chat_id: 42, text: '' }, 'Bad Request: message text is empty'],
      ['sendMessage', { chat_id: 42, text: 'a'.repeat(4097) }, 'Bad Request: message is too long'],
      ['sendMessage', { chat_id: 42, text: '1 < 2', parse_mode: 'HTML' }, 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2'],
      [
        'sendMessage',
        { chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] } },
        'Bad Request: BUTTON_DATA_INVALID',
      ],
      ['editMessageText', { chat_id: 42, message_id: 9999, text: 'x' }, 'Bad Request: message to edit not found'],
      ['deleteMessage', { chat_id: 42, message_id: 9999 }, 'Bad Request: message to delete not found'],
      ['answerCallbackQuery', { callback_query_id: '1' }, 'Bad Request: query is too old and response timeout expired or query ID is invalid'],
      ['getFile', { file_id: 'nope' }, 'Bad Request: invalid file_id'],
      ['sendPhoto', { chat_id: 42, photo: 'nope' }, 'Bad Request: wrong file identifier/HTTP URL specified'],
    ];
    for (const [method, body, description] of cases) {
      expect({ method, ...(await call(method, body)) }).toEqual({
        method,
        status: 400,
        body: { ok: false, error_code: 400, description },
      });
    }
  });

  it('refuses an edit that changes nothing, with Telegram\'s exact description', async () => {
    const markup = { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] };
    const sent = await ok<Message>('sendMessage', { chat_id: 42, text: 'Hi', reply_markup: markup });
    const again = await call('editMessageText', { chat_id: 42, message_id: sent.message_id, text: 'Hi', reply_markup: markup });
    expect(again).toEqual({ status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${NOT_MODIFIED}` } });
    const edited = await ok<Message>('editMessageText', { chat_id: 42, message_id: sent.message_id, text: 'Hi' });
    expect(edited.reply_markup).toBeUndefined(); // no reply_markup in an edit removes the keyboard
    expect(edited.edit_date).toBeTypeOf('number');
  });

  it('edits media and captions, and deletes messages', async () => {
    const photo = await ok<Message>('sendPhoto', { chat_id: 42, photo: await uploadedPhotoId(), caption: 'a' });
    const sameCaption = await call('editMessageCaption', { chat_id: 42, message_id: photo.message_id, caption: 'a' });
    expect(sameCaption.body.description).toBe(`Bad Request: ${NOT_MODIFIED}`);
    const form = new FormData();
    form.append('chat_id', '42');
    form.append('message_id', String(photo.message_id));
    form.append('media', JSON.stringify({ type: 'document', media: 'attach://f', caption: 'now a file' }));
    form.append('f', new Blob([Buffer.from('report')]), 'r.pdf');
    const edited = await ok<Message>('editMessageMedia', form);
    expect([edited.photo, edited.document?.file_name, edited.document?.mime_type, edited.caption]).toEqual([
      undefined, 'r.pdf', 'application/pdf', 'now a file',
    ]);
    const media = { type: 'document', media: edited.document?.file_id, caption: 'now a file' };
    expect((await call('editMessageMedia', { chat_id: 42, message_id: photo.message_id, media })).body.description).toBe(
      `Bad Request: ${NOT_MODIFIED}`,
    );
    expect((await call('editMessageText', { chat_id: 42, message_id: photo.message_id, text: 'x' })).body.description).toBe(
      'Bad Request: there is no text in the message to edit',
    );
    expect(await ok('deleteMessage', { chat_id: 42, message_id: photo.message_id })).toBe(true);
    expect(emu.user(42).messages().some((m) => m.message_id === photo.message_id)).toBe(false);
  });

  it('takes form-encoded bodies and confirms updates by offset', async () => {
    await emu.user(42).sendText('/start');
    const [first] = await ok<Array<{ update_id: number; message: Message }>>('getUpdates', new URLSearchParams({ timeout: '0' }));
    expect(first?.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    await ok('getUpdates', new URLSearchParams({ offset: String((first?.update_id ?? 0) + 1) }));
    expect(emu.pendingUpdateCount).toBe(0);
  });

  it('uploads a photo by multipart, reads its size, and serves it back through getFile', async () => {
    const form = new FormData();
    form.append('chat_id', '42');
    form.append('caption', 'rig');
    form.append('photo', new Blob([PNG_5X4]), 'rig.png');
    const sent = await ok<Message>('sendPhoto', form);
    const size = sent.photo?.at(-1);
    expect(size).toMatchObject({ width: 5, height: 4, file_size: PNG_5X4.length });
    const file = await ok<{ file_path: string }>('getFile', { file_id: size?.file_id });
    const res = await fetch(`${emu.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG_5X4)).toBe(true);
    expect((await fetch(`${emu.apiRoot}/file/bot123:bad/${file.file_path}`)).status).toBe(401);
    // Re-sending by file_id reuses the file; a photo id is not a document id.
    expect((await ok<Message>('sendPhoto', { chat_id: 42, photo: size?.file_id })).photo?.[0]?.file_id).toBe(size?.file_id);
    expect((await call('sendDocument', { chat_id: 42, document: size?.file_id })).body.description).toBe('Bad Request: type of file mismatch');
  });

  it('sends an album from attach:// parts, one message per item, one media_group_id', async () => {
    const form = new FormData();
    form.append('chat_id', '42');
    form.append('media', JSON.stringify([
      { type: 'document', media: 'attach://a', caption: 'first' },
      { type: 'document', media: 'attach://b' },
    ]));
    form.append('a', new Blob([Buffer.from('alpha')]), 'a.txt');
    form.append('b', new Blob([Buffer.from('beta')]), 'b.csv');
    const sent = await ok<Message[]>('sendMediaGroup', form);
    expect(sent.map((m) => [m.document?.file_name, m.document?.mime_type, m.caption])).toEqual([
      ['a.txt', 'text/plain', 'first'],
      ['b.csv', 'text/csv', undefined],
    ]);
    expect(sent[0]?.media_group_id).toBeDefined();
    expect(sent[1]?.media_group_id).toBe(sent[0]?.media_group_id);
    expect(sent[1]?.message_id).toBe((sent[0]?.message_id ?? 0) + 1);
  });

  it('answers 413 to an upload over the limit (50 MB by default: see uploads.int.test.ts)', async () => {
    const small = await startEmulator({ token: TOKEN, maxUploadBytes: 1024 });
    small.user(42);
    try {
      const send = async (bytes: number): Promise<number> => {
        const form = new FormData();
        form.append('chat_id', '42');
        form.append('document', new Blob([Buffer.alloc(bytes)]), 'big.bin');
        const res = await fetch(`${small.apiRoot}/bot${TOKEN}/sendDocument`, { method: 'POST', body: form });
        if (res.status === 413) expect(await res.json()).toEqual({ ok: false, error_code: 413, description: 'Request Entity Too Large' });
        return res.status;
      };
      expect(await send(1025)).toBe(413);
      expect(await send(1024)).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('stores commands per scope and language, and logs the calls', async () => {
    await ok('setMyCommands', { commands: [{ command: 'start', description: 'Start' }] });
    await ok('setMyCommands', { commands: [{ command: 'start', description: '开始' }], language_code: 'zh' });
    expect(await ok('getMyCommands', {})).toEqual([{ command: 'start', description: 'Start' }]);
    expect(emu.commands({ languageCode: 'zh' })).toEqual([{ command: 'start', description: '开始' }]);
    expect((await call('setMyCommands', { commands: [{ command: 'Bad-Name', description: 'x' }] })).body.description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    );
    expect(emu.callLog).toContain('setMyCommands');
  });

  it('keeps the token out of the chat page', async () => {
    const html = await (await fetch(emu.chatUrl)).text();
    expect(html).toContain('<title>');
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain('__JS__');
  });
});
