import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../../test/harness.js';
import { editorUrl, signEditorLink } from '../../core/index.js';
import { LINK_SECRET, PROPOSAL, signedInitData, startEditorWorld, type EditorWorld } from './test-fixtures/seed.js';

let w: EditorWorld;
let browser: Browser;

beforeAll(async () => {
  w = await startEditorWorld();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** Maps image pixels to page coordinates through the displayed photo's box. */
async function imageToPage(page: Page): Promise<(x: number, y: number) => { x: number; y: number }> {
  const bb = await page.locator('#canvas image.photo').boundingBox();
  if (!bb) throw new Error('photo not displayed');
  const s = bb.width / 640;
  expect(bb.height / 480).toBeCloseTo(s, 2);
  return (x, y) => ({ x: bb.x + x * s, y: bb.y + y * s });
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('box editor page in Chromium', () => {
  it('moves, resizes and adds boxes, sets a class and saves a confirmed label', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
    const errors = watchErrors(page);
    const token = signEditorLink({ secret: LINK_SECRET, stationNo: 'A01', photoId: w.photoId, userId: w.userA, expiresAt: Date.now() + 600_000 });
    await page.goto(editorUrl(w.baseUrl, token));
    await page.locator('[data-box="0"] rect.body').waitFor();
    await expect.poll(() => page.locator('#title').textContent()).toContain(`照片 #${w.photoId}`);
    expect(await page.locator('button.cls').allTextContents()).toEqual(['指针仪表-正常', '指针仪表-异常', '数显仪表']);
    const at = await imageToPage(page);

    // Move the proposed box by (+60, +40) image pixels, then stretch its bottom-right corner by (+20, +20).
    await drag(page, at(200, 180), at(260, 220));
    await drag(page, at(360, 300), at(380, 320));
    // Draw a new box on empty space (drawn with the first class), then make it a digital meter.
    await drag(page, at(420, 300), at(580, 440));
    await expect.poll(() => page.locator('g.box').count()).toBe(2);
    await page.getByRole('button', { name: '数显仪表' }).click();
    await expect.poll(() => page.locator('g.box.selected text').textContent()).toBe('数显仪表');
    await page.screenshot({ path: '/tmp/editor.png' });

    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#status.ok').waitFor();
    expect(await page.locator('#status').textContent()).toContain('已保存');

    const photo = w.env.store.photos.get(w.photoId);
    expect(photo?.status).toBe('confirmed');
    const label = w.env.store.labels.get(w.photoId, photo?.labelVersion ?? -1);
    expect(label).toMatchObject({ kind: 'label', author: w.userA });
    const [moved, added] = label?.boxes ?? [];
    const near = (v: number | undefined, want: number) => expect(Math.abs((v ?? NaN) - want)).toBeLessThanOrEqual(2);
    expect(moved).toMatchObject({ classId: 0, source: 'human' });
    near(moved?.x1, PROPOSAL.x1 + 60);
    near(moved?.y1, PROPOSAL.y1 + 40);
    near(moved?.x2, PROPOSAL.x2 + 80);
    near(moved?.y2, PROPOSAL.y2 + 60);
    expect(added).toMatchObject({ classId: 2, source: 'human' });
    for (const [v, want] of [[added?.x1, 420], [added?.y1, 300], [added?.x2, 580], [added?.y2, 440]] as const) near(v, want);
    expect(label?.boxes).toHaveLength(2);
    await expect.poll(() => w.saved.map((e) => e.version)).toEqual([photo?.labelVersion]);

    // Delete key and Ctrl+Z: the selected box goes and comes back.
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('g.box').count()).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('g.box').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens as a Telegram Mini App from initData in the fragment, in English on a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 }, hasTouch: true, isMobile: true });
    const errors = watchErrors(page);
    const initData = signedInitData(TEST_TOKEN, w.userA);
    await page.goto(`${w.baseUrl}/editor?photo=${w.photoId}&lang=en#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0`);
    await page.locator('[data-box="1"] rect.body').waitFor();
    expect(await page.locator('#title').textContent()).toContain(`photo #${w.photoId}`);
    expect(await page.locator('button.cls').allTextContents()).toContain('Digital meter');
    await page.screenshot({ path: '/tmp/editor-phone.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the refusal for another station user and for a forged link', async () => {
    const page = await browser.newPage();
    const other = signedInitData(TEST_TOKEN, w.userB);
    await page.goto(`${w.baseUrl}/editor?photo=${w.photoId}#tgWebAppData=${encodeURIComponent(other)}`);
    await page.locator('#status.error').waitFor();
    expect(await page.locator('#status').textContent()).toContain('你无权编辑这个工位的照片');
    const res = await page.goto(editorUrl(w.baseUrl, 'AAAA.BBBB'));
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').allTextContents()).toEqual(['无法打开编辑器', 'Cannot open the editor']);
    await page.close();
  });
});
