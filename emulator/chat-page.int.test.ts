import { chromium, type Browser } from 'playwright-core';
import { Markup, Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator.js';
import { PNG_5X4 } from './test-images.js';

const TOKEN = '555:page-test-token';
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let emu: Emulator;
let bot: Telegraf;
let launching: Promise<void>;
let browser: Browser;

beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN, botName: 'Copilot' });
  bot = new Telegraf(TOKEN, { telegram: { apiRoot: emu.apiRoot } });
  bot.on('photo', (ctx) => ctx.reply(`photo ${ctx.message.photo.at(-1)?.width}x${ctx.message.photo.at(-1)?.height}`));
  bot.on('text', (ctx) =>
    ctx.reply(`<b>echo</b>: ${escapeHtml(ctx.message.text)}`, {
      parse_mode: 'HTML',
      ...Markup.inlineKeyboard([Markup.button.callback('Like', 'like')]),
    }),
  );
  bot.action('like', async (ctx) => {
    await ctx.answerCbQuery('Thanks!');
    await ctx.editMessageText('liked');
  });
  launching = bot.launch();
  await emu.waitForCall('getUpdates');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  bot?.stop('test done');
  await launching;
  await emu?.close();
});

describe('browser chat page', () => {
  it('sends a message, shows the reply safely, presses a button, uploads a photo and an album', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(emu.chatUrl);
    await page.getByText('@emulator_bot', { exact: false }).waitFor();

    await page.fill('#text', '<img src=x onerror=alert(1)> hi');
    await page.press('#text', 'Enter');
    const reply = page.locator('.msg.bot').last();
    await expect.poll(() => reply.locator('.text').textContent()).toBe('echo: <img src=x onerror=alert(1)> hi');
    expect(await reply.locator('b').textContent()).toBe('echo');
    expect(await reply.locator('img').count()).toBe(0);

    await reply.getByRole('button', { name: 'Like' }).click();
    await page.locator('#toast', { hasText: 'Thanks!' }).waitFor();
    await expect.poll(() => page.locator('.msg.bot').last().locator('.text').textContent()).toBe('liked');

    await page.setInputFiles('#fileInput', { name: 'rig.png', mimeType: 'image/png', buffer: PNG_5X4 });
    await page.click('#sendBtn');
    await page.locator('.msg.bot .text', { hasText: 'photo 5x4' }).waitFor();
    const shown = page.locator('.msg.me img').last();
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(5);

    // Two files sent as files make an album of documents, captioned from the text box.
    await page.setInputFiles('#fileInput', [
      { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('alpha') },
      { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('beta') },
    ]);
    await page.click('#asFile');
    await page.fill('#text', 'two files');
    await page.click('#sendBtn');
    await page.locator('.msg.me a.doc', { hasText: 'b.txt' }).waitFor();

    // The page's user is an ordinary chat of the emulator.
    const id = Number(await page.evaluate(() => JSON.parse(localStorage.getItem('tgEmulator.profile') ?? '{}').id));
    const messages = emu.user(id).messages();
    const texts = messages.map((m) => m.text ?? (m.photo ? '[photo]' : `[${m.document?.file_name}] ${m.caption ?? ''}`));
    expect(texts).toEqual(['<img src=x onerror=alert(1)> hi', 'liked', '[photo]', 'photo 5x4', '[a.txt] two files', '[b.txt] ']);
    expect(messages[4]?.media_group_id).toBeDefined();
    expect(messages[5]?.media_group_id).toBe(messages[4]?.media_group_id);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
