import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../../test/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorUrl, signEditorLink } from '../../core/index.js';
import { LINK_SECRET, PROPOSAL, startEditorWorld, type EditorWorld } from './test-fixtures/seed.js';

/**
 * Snap / 贴合 in the box editor: the page asks the server to tighten the selected box to
 * the object's edges and puts it in place (one undo step). The seeded photo's gauge is a
 * circle of radius 75 with an 8 px outline around (200, 180): its minimal enclosing box
 * has pixel edges 121, 101, 279, 259. The proposal (100, 100, 300, 260) is 21 px loose
 * on the left and right.
 */
const GAUGE = { x1: 121, y1: 101, x2: 279, y2: 259 };

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

const link = (photoId = w.photoId, userId = w.userA): string =>
  signEditorLink({ secret: LINK_SECRET, stationNo: 'A01', photoId, userId, expiresAt: Date.now() + 600_000 });
const snapApi = (token: string, body: unknown, contentType = 'application/json') =>
  fetch(`${w.baseUrl}/editor/api/snap?t=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });

function expectNear(box: { x1: number; y1: number; x2: number; y2: number } | undefined, want: typeof GAUGE, px: number): void {
  for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs((box?.[k] ?? NaN) - want[k]), k).toBeLessThanOrEqual(px);
}

describe('editor snap API', () => {
  it('tightens a loose box to the gauge, says which sides moved, and saves nothing', async () => {
    const before = w.env.store.labels.latest(w.photoId)?.version;
    const res = await snapApi(link(), { box: PROPOSAL });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { box: typeof PROPOSAL; sides: Record<string, { px: number }>; isChanged: boolean };
    expect(body.isChanged).toBe(true);
    expect(body.box.classId).toBe(PROPOSAL.classId);
    expectNear(body.box, GAUGE, 1.5);
    expect(body.sides.left?.px).toBeGreaterThan(19);
    expect(body.sides.right?.px).toBeGreaterThan(19);
    expect(w.env.store.labels.latest(w.photoId)?.version).toBe(before);
  });

  it('leaves a box on flat background as it was, and refuses bad requests by name', async () => {
    const flat = { classId: 0, x1: 20, y1: 300, x2: 90, y2: 420 }; // grey panel only: no edge to snap to
    const res = await snapApi(link(), { box: flat });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { box: typeof flat; isChanged: boolean };
    expect(body.isChanged).toBe(false);
    expect(body.box).toEqual(flat);

    const bad = await snapApi(link(), { box: { classId: 0, x1: 50, y1: 50, x2: 10, y2: 90 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: { en: string } }).message.en).toContain('bottom-right corner');
    expect((await snapApi(link(), { box: { classId: 99, x1: 1, y1: 1, x2: 9, y2: 9 } })).status).toBe(400);
    expect((await snapApi(link(), { box: PROPOSAL }, 'text/plain')).status).toBe(415);
    expect((await fetch(`${w.baseUrl}/editor/api/snap?t=${encodeURIComponent(link())}`)).status).toBe(405);
    // An image outside DATA_DIR is never read, and a forged link gets nothing.
    expect((await snapApi(link(w.strayPhotoId), { box: PROPOSAL })).status).toBe(404);
    expect((await snapApi('AAAA.BBBB', { box: PROPOSAL })).status).toBe(403);
  });
});

/** Maps image pixels to page coordinates through the displayed photo's box. */
async function imageToPage(page: Page): Promise<(x: number, y: number) => { x: number; y: number }> {
  const bb = await page.locator('#photo').boundingBox();
  if (!bb) throw new Error('photo not displayed');
  const s = bb.width / 640;
  return (x, y) => ({ x: bb.x + x * s, y: bb.y + y * s });
}

describe('editor Snap button in Chromium', () => {
  it('snaps the selected box with the button and the S key, undoes it, and saves the snapped box', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(editorUrl(w.baseUrl, link()));
    await page.locator('.a9s-annotationlayer g.a9s-annotation[data-id="box-1"]').waitFor();
    const snap = page.getByRole('button', { name: '贴合' });
    expect(await snap.isDisabled()).toBe(true); // nothing selected yet
    const at = await imageToPage(page);
    await page.mouse.click(at(200, 180).x, at(200, 180).y);
    await expect.poll(() => snap.isDisabled()).toBe(false);

    await snap.click();
    await page.locator('#status.ok').waitFor();
    expect(await page.locator('#status').textContent()).toMatch(/已贴合：左 −2\d(\.\d)? px、.*右 −2\d/);
    await page.screenshot({ path: '/tmp/editor-snap.png' });
    // Undo puts the rough box back; the S key snaps it again.
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(300);
    await page.keyboard.press('s');
    await expect.poll(() => page.locator('#status').textContent()).toContain('已贴合');

    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('已保存');
    const photo = w.env.store.photos.get(w.photoId);
    const saved = w.env.store.labels.get(w.photoId, photo?.labelVersion ?? -1)?.boxes;
    expect(saved).toHaveLength(1);
    expectNear(saved?.[0], GAUGE, 1.5);
    expect(errors).toEqual([]);
    await page.close();
  });
});
