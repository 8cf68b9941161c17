import { type Browser, type CDPSession, type Page } from 'playwright-core';
import { launchChromium } from '../../test/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../../test/harness.js';
import { editorUrl, signEditorLink } from '../../core/index.js';
import { LINK_SECRET, PROPOSAL, signedInitData, startEditorWorld, type EditorWorld } from './test-fixtures/seed.js';

let w: EditorWorld;
let browser: Browser;

beforeAll(async () => {
  w = await startEditorWorld();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** Maps image pixels to page coordinates through the displayed photo's box. */
async function imageToPage(page: Page): Promise<((x: number, y: number) => Point) & { scale: number }> {
  const bb = await page.locator('#photo').boundingBox();
  if (!bb) throw new Error('photo not displayed');
  const s = bb.width / 640;
  expect(bb.height / 480).toBeCloseTo(s, 1);
  return Object.assign((x: number, y: number) => ({ x: bb.x + x * s, y: bb.y + y * s }), { scale: s });
}

/** Drags land within a few screen pixels (Annotorious starts a drag after a small slop). */
const SLOP_SCREEN_PX = 4;

/** Asserts an image coordinate is where a drag aimed, within the slop at this zoom. */
function near(v: number | undefined, want: number, scale: number): void {
  expect(Math.abs((v ?? NaN) - want)).toBeLessThanOrEqual(SLOP_SCREEN_PX / scale);
}

type Point = { x: number; y: number };

async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/**
 * A one-finger drag, as a phone's touchscreen sends it (Playwright's touchscreen only
 * taps). The finger rests on the target before lifting, as when placing a box edge: a
 * flick would leave a fling, and Chromium drops the click of a tap that ends a fling.
 */
async function touchDrag(cdp: CDPSession, from: Point, to: Point): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  for (let i = 1; i <= 8; i++) {
    const p = { x: from.x + ((to.x - from.x) * i) / 8, y: from.y + ((to.y - from.y) * i) / 8 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  }
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 40));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [to] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** The number-and-class tags drawn over the boxes, in order. */
const tags = (page: Page): Promise<string[]> => page.locator('.tags g.tag text').allTextContents();

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
    await page.locator('.a9s-annotationlayer g.a9s-annotation[data-id="box-1"]').waitFor();
    await expect.poll(() => page.locator('#title').textContent()).toContain(`照片 #${w.photoId}`);
    expect(await page.locator('button.cls').allTextContents()).toEqual(['指针仪表-正常', '指针仪表-异常', '数显仪表']);
    expect(await tags(page)).toEqual(['1 指针仪表-正常']);
    // The combo is 指针仪表-正常 + 数显仪表 and only the gauge has a box: new boxes start as 数显仪表.
    expect(await page.getByRole('button', { name: '数显仪表' }).getAttribute('aria-pressed')).toBe('true');
    const at = await imageToPage(page);

    // Tap the proposed box to select it, move it by (+60, +40) image pixels, then
    // stretch its bottom-right corner by (+20, +20).
    await page.mouse.click(at(200, 180).x, at(200, 180).y);
    await expect.poll(() => page.locator('#delete').isDisabled()).toBe(false);
    await drag(page, at(200, 180), at(260, 220));
    await drag(page, at(360, 300), at(380, 320));
    // The box stays selected after a corner drag: the next corner needs no new tap.
    await expect.poll(() => page.locator('.tags g.tag.selected').count()).toBe(1);
    await expect.poll(() => page.locator('#delete').isDisabled()).toBe(false);
    // …and stays selected once the drag's late "click" has come (Annotorious's timer).
    await page.waitForTimeout(400);
    expect(await page.locator('#delete').isDisabled()).toBe(false);
    // Draw a new box on empty space: drawn with the preselected class, 数显仪表.
    await page.keyboard.press('Escape');
    await drag(page, at(420, 300), at(580, 440));
    await expect.poll(() => tags(page)).toEqual(['1 指针仪表-正常', '2 数显仪表']);
    await page.getByRole('button', { name: '指针仪表-异常' }).click();
    await expect.poll(() => tags(page)).toEqual(['1 指针仪表-正常', '2 指针仪表-异常']);
    await page.getByRole('button', { name: '数显仪表' }).click();
    await expect.poll(() => tags(page)).toEqual(['1 指针仪表-正常', '2 数显仪表']);
    expect(await page.getByRole('button', { name: '数显仪表' }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: '/tmp/editor.png' });

    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#status.ok').waitFor();
    expect(await page.locator('#status').textContent()).toContain('已保存');

    const photo = w.env.store.photos.get(w.photoId);
    expect(photo?.status).toBe('confirmed');
    const label = w.env.store.labels.get(w.photoId, photo?.labelVersion ?? -1);
    expect(label).toMatchObject({ kind: 'label', author: w.userA });
    const [moved, added] = label?.boxes ?? [];
    expect(moved).toMatchObject({ classId: 0, source: 'human' });
    near(moved?.x1, PROPOSAL.x1 + 60, at.scale);
    near(moved?.y1, PROPOSAL.y1 + 40, at.scale);
    near(moved?.x2, PROPOSAL.x2 + 80, at.scale);
    near(moved?.y2, PROPOSAL.y2 + 60, at.scale);
    expect(added).toMatchObject({ classId: 2, source: 'human' });
    for (const [v, want] of [[added?.x1, 420], [added?.y1, 300], [added?.x2, 580], [added?.y2, 440]] as const) near(v, want, at.scale);
    expect(label?.boxes).toHaveLength(2);
    await expect.poll(() => w.saved.map((e) => e.version)).toEqual([photo?.labelVersion]);

    // Delete key and Ctrl+Z: the selected box goes and comes back. Annotorious merges
    // changes less than 250 ms apart into one undo step; a person's steps are further apart.
    await page.waitForTimeout(300);
    await page.keyboard.press('Delete');
    await expect.poll(() => tags(page)).toEqual(['1 指针仪表-正常']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.tags g.tag').count()).toBe(2);

    // Arrow keys nudge the selected box by whole pixels (Shift: 10).
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    await page.mouse.click(at(270, 230).x, at(270, 230).y);
    await expect.poll(() => page.locator('#delete').isDisabled()).toBe(false);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => w.saved.length).toBe(2);
    const nudged = w.env.store.labels.get(w.photoId, w.env.store.photos.get(w.photoId)?.labelVersion ?? -1)?.boxes[0];
    expect([nudged?.x1, nudged?.y1]).toEqual([(moved?.x1 ?? NaN) + 10, (moved?.y1 ?? NaN) + 1]);

    // Numbers stay with their boxes: draw box 3, then edit box 2; nothing is renumbered.
    await page.keyboard.press('Escape');
    await drag(page, at(480, 40), at(600, 140));
    await expect.poll(() => page.locator('.tags g.tag').count()).toBe(3);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    await page.mouse.click(at(500, 370).x, at(500, 370).y);
    await drag(page, at(500, 370), at(480, 360));
    const tagX = (n: number) => page.locator(`.tags g.tag[data-box="${n}"] rect`).getAttribute('x').then(Number);
    await expect.poll(() => tagX(2)).toBeLessThan(410);
    expect(await tagX(3)).toBeGreaterThan(470);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens as a Telegram Mini App from initData in the fragment, in English on a phone, and edits by touch', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 }, hasTouch: true, isMobile: true });
    const errors = watchErrors(page);
    const initData = signedInitData(TEST_TOKEN, w.userA);
    await page.goto(`${w.baseUrl}/editor?photo=${w.photoId}&lang=en#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0`);
    await page.locator('.tags g.tag[data-box="2"]').waitFor();
    expect(await page.locator('#title').textContent()).toContain(`photo #${w.photoId}`);
    expect(await tags(page)).toEqual(['1 Pointer gauge (normal)', '2 Digital meter']);

    // Tap the digital meter, drag it 40 image pixels left with a finger, make it abnormal, save.
    const at = await imageToPage(page);
    const before = w.env.store.photos.get(w.photoId)?.labelVersion;
    await page.touchscreen.tap(at(500, 370).x, at(500, 370).y);
    await expect.poll(() => page.locator('#delete').isDisabled()).toBe(false);
    const cdp = await page.context().newCDPSession(page);
    await touchDrag(cdp, at(500, 370), at(460, 370));
    await page.getByRole('button', { name: 'Pointer gauge (abnormal)' }).tap();
    await expect.poll(() => tags(page)).toEqual(['1 Pointer gauge (normal)', '2 Pointer gauge (abnormal)']);
    await page.screenshot({ path: '/tmp/editor-phone.png' });
    await page.getByRole('button', { name: 'Save' }).tap();
    await page.locator('#status.ok').waitFor();
    const photo = w.env.store.photos.get(w.photoId);
    expect(photo?.labelVersion).toBeGreaterThan(before ?? Infinity);
    const touched = w.env.store.labels.get(w.photoId, photo?.labelVersion ?? -1)?.boxes[1];
    expect(touched?.classId).toBe(1);
    near(touched?.x1, 380, at.scale);
    near(touched?.x2, 540, at.scale);
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
