import { createHash } from 'node:crypto';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator.js';
import { JPEG_3X2, PNG_5X4 } from './test-images.js';

const TOKEN = '987654:int-test-token';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let emu: Emulator;
let bot: Telegraf;
let launching: Promise<void>;
const botErrors: unknown[] = [];

/** A small bot exercising what the product bot uses: text, photos, buttons, edits, albums, downloads. */
function buildBot(apiRoot: string): Telegraf {
  const b = new Telegraf(TOKEN, { telegram: { apiRoot } });
  b.catch((err) => {
    botErrors.push(err);
  });
  b.command('menu', (ctx) =>
    ctx.replyWithPhoto(
      { source: PNG_5X4, filename: 'rig.png' },
      {
        caption: '<b>Rig</b> preview',
        parse_mode: 'HTML',
        ...Markup.inlineKeyboard([
          [Markup.button.callback('Confirm', 'v1:ok:7'), Markup.button.url('Docs', 'https://example.org/docs')],
          [Markup.button.webApp('Edit boxes', 'http://127.0.0.1:9/editor')],
        ]),
      },
    ),
  );
  b.command('album', (ctx) =>
    ctx.replyWithMediaGroup([
      { type: 'photo', media: { source: PNG_5X4 } },
      { type: 'photo', media: { source: JPEG_3X2 }, caption: 'two' },
    ]),
  );
  b.action(/^v1:ok:(\d+)$/, async (ctx) => {
    await ctx.answerCbQuery(`Saved ${ctx.match[1]}`);
    await ctx.editMessageCaption('Confirmed ✓');
  });
  b.on('photo', async (ctx) => {
    const best = ctx.message.photo.at(-1);
    if (!best) return;
    const link = await ctx.telegram.getFileLink(best.file_id);
    const bytes = Buffer.from(await (await fetch(link)).arrayBuffer());
    await ctx.reply(`photo ${best.width}x${best.height} ${bytes.length} ${sha(bytes)}`);
  });
  b.on('text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  return b;
}

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN, botUsername: 'copilot_int_bot' });
  bot = buildBot(emu.apiRoot);
  await bot.telegram.setMyCommands([{ command: 'menu', description: 'Menu' }]);
  launching = bot.launch();
  await emu.waitForCall('getUpdates');
});

afterAll(async () => {
  bot.stop('test done');
  await launching;
  await emu.close();
});

describe('telegraf against the emulator', () => {
  it('launched with getMe and deleteWebhook, and set its commands', () => {
    expect(emu.callLog.slice(0, 4)).toEqual(['setMyCommands', 'getMe', 'deleteWebhook', 'getUpdates']);
    expect(emu.commands()).toEqual([{ command: 'menu', description: 'Menu' }]);
    expect(bot.botInfo?.username).toBe('copilot_int_bot');
  });

  it('echoes text', async () => {
    const u = emu.user(1001, { firstName: 'Li' });
    await u.sendText('你好');
    expect((await u.nextMessage()).text).toBe('echo: 你好');
  });

  it('replies with a photo and buttons, then answers a press and edits the caption', async () => {
    const u = emu.user(1002);
    await u.sendText('/menu');
    const menu = await u.nextMessage();
    expect(menu.photo?.at(-1)).toMatchObject({ width: 5, height: 4 });
    expect(menu.caption).toBe('<b>Rig</b> preview');
    expect(menu.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Confirm', 'Docs', 'Edit boxes']);
    expect(u.findButton('Edit boxes')?.button.web_app?.url).toBe('http://127.0.0.1:9/editor');
    expect(Buffer.compare(await u.downloadFile(menu), PNG_5X4)).toBe(0);

    const queryId = await u.press('Confirm');
    expect(await u.callbackAnswer(queryId)).toMatchObject({ text: 'Saved 7', showAlert: false });
    const edited = await emu.waitForEdit(u.id, menu.message_id, (m) => m.caption === 'Confirmed ✓');
    expect(edited.reply_markup).toBeUndefined();
    expect(u.lastCallbackAnswer()?.text).toBe('Saved 7');
  });

  it('lets the bot download a user photo through getFileLink', async () => {
    const u = emu.user(1003);
    await u.sendPhoto(JPEG_3X2, { caption: 'station 3' });
    expect((await u.nextMessage()).text).toBe(`photo 3x2 ${JPEG_3X2.length} ${sha(JPEG_3X2)}`);
  });

  it('sends a media group as separate messages sharing one media_group_id', async () => {
    const u = emu.user(1004);
    await u.sendText('/album');
    const [a, b] = [await u.nextMessage(), await u.nextMessage()];
    expect(a.media_group_id).toBeDefined();
    expect(b.media_group_id).toBe(a.media_group_id);
    expect([a.photo?.[0]?.width, b.photo?.[0]?.width, b.caption]).toEqual([5, 3, 'two']);
    expect(botErrors).toEqual([]);
  });

  it('surfaces Telegram-shaped errors as TelegramError', async () => {
    const err = await bot.telegram.editMessageText(1001, 9999, undefined, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    expect((err as TelegramError).response).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message to edit not found',
    });
  });
});
