import { Telegraf, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator.js';
import { MAX_UPLOAD_BYTES } from './request-body.js';

const TOKEN = '777:upload-limit';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN });
  emu.user(9);
});
afterAll(() => emu.close());

describe('upload limit', () => {
  it('refuses a telegraf upload over 50 MB with Telegram\'s 413', async () => {
    expect(MAX_UPLOAD_BYTES).toBe(50 * 1024 * 1024);
    const telegram = new Telegraf(TOKEN, { telegram: { apiRoot: emu.apiRoot } }).telegram;
    const err = await telegram
      .sendDocument(9, { source: Buffer.alloc(MAX_UPLOAD_BYTES + 1), filename: 'huge.bin' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    expect((err as TelegramError).response).toEqual({ ok: false, error_code: 413, description: 'Request Entity Too Large' });
    expect(emu.user(9).messages()).toEqual([]);
  });
});
