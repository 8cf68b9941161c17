import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { invokePageUrl } from '../../core/index.js';
import { stationPaths } from '../../store/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import type { DemoRun } from './demo.js';

/**
 * The README's pictures, taken in headless Chromium from a finished demo (the product still
 * running on its state): the chat at a pre-label preview, during training and at the review,
 * the box editor, the invocation page with a detection, and the first page of each report.
 * `npm run screenshots` writes them to docs/screenshots/; the end-to-end test takes them
 * into a temporary folder, so they are checked on every run and never go stale unnoticed.
 */
export const SHOTS = ['chat-prelabel', 'chat-training', 'chat-review', 'editor', 'invoke', 'report1', 'report2'] as const;

export async function takeScreenshots(run: DemoRun, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const emu = run.product.emulator;
  if (!emu) throw new Error('screenshots need the local chat (emulator)');
  const r = run.result;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const written: string[] = [];
  const shot = async (page: Page, name: (typeof SHOTS)[number]) => {
    const path = join(outDir, `${name}.png`);
    await page.screenshot({ path });
    written.push(path);
  };
  try {
    // The chat page as the demo's contestant: the page opens the chat of the profile it keeps in localStorage.
    const phone = await browser.newContext({ viewport: { width: 430, height: 900 }, deviceScaleFactor: 1.5 });
    await phone.addInitScript(
      ([id, lang]) => localStorage.setItem('tgEmulator.profile', JSON.stringify({ id, name: lang === 'en' ? 'Alex' : '张三', username: '', lang: lang === 'en' ? 'en' : 'zh-hans' })),
      [run.userId, run.lang] as const,
    );
    const chat = await phone.newPage();
    await chat.goto(emu.chatUrl);
    const at = async (messageId: number | undefined, name: (typeof SHOTS)[number]) => {
      if (messageId === undefined) return;
      const node = chat.locator(`[data-id="${messageId}"]`);
      await node.waitFor({ timeout: 30_000 });
      await node.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await chat.waitForTimeout(300);
      await shot(chat, name);
    };
    await at(r.marks.preview, 'chat-prelabel');
    await at(r.marks.train, 'chat-training');
    await at(r.marks.review, 'chat-review');

    if (r.editorLink) {
      const desk = await browser.newPage({ viewport: { width: 1100, height: 860 } });
      await desk.goto(r.editorLink.replace(/^https?:\/\/[^/]+/, run.product.webUrl));
      await desk.locator('.a9s-annotationlayer g.a9s-annotation').first().waitFor({ timeout: 30_000 });
      await shot(desk, 'editor');
      await desk.close();
    }

    if (r.apiKey) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
      await page.goto(invokePageUrl(run.product.webUrl, run.station, r.apiKey));
      await page.waitForSelector('body[data-ready]');
      const photo = await renderRigPhoto({ seed: 4242, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width: 1280, height: 960 });
      await page.locator('#pick').setInputFiles({ name: 'rig.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
      await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
      await shot(page, 'invoke');
      await page.close();
    }
  } finally {
    await browser.close();
  }
  // The first page of each report, as pdftoppm renders it.
  const reports = stationPaths(run.dataDir, run.station).reports;
  for (const [pdf, name] of [['stage1.pdf', 'report1'], ['stage2.pdf', 'report2']] as const) {
    const base = join(outDir, name);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', join(reports, pdf), base]);
    written.push(`${base}.png`);
  }
  return written;
}
