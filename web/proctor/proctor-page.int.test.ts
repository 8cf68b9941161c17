import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCTOR_LINK_TTL_MS, signEditorLink, signProctorLink } from '../../core/index.js';
import { memoryLogger, TEST_TOKEN, testEnv } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { signedInitData } from '../editor/test-fixtures/seed.js';
import { createWebServer } from '../server.js';
import { PROCTOR_PATHS, proctorRoutes } from './index.js';

const SECRET = 'proctor-test-link-secret-0123456789';
const PROCTOR = 8501;
const LISTED = 8502;
const CONTESTANT = 8503;

/**
 * The projector page and its JSON: only a proctor (by a signed link from /stations, or by
 * Telegram initData) sees the stations; every other credential is refused on every path.
 */
describe('proctor web page', () => {
  const env = testEnv({ LINK_SECRET: SECRET, PROCTOR_IDS: String(LISTED) });
  const deps = { config: env.config, exam: env.exam, store: env.store, log: memoryLogger('web').log, linkSecret: SECRET };
  const server = createWebServer(deps, proctorRoutes(deps));
  let base = '';

  beforeAll(async () => {
    await seedConfirmedStation(env, 'W01', CONTESTANT, 1, '4');
    env.store.users.upsert({ userId: PROCTOR, chatId: PROCTOR, lang: 'en' });
    env.store.users.bindStation(PROCTOR, null, 'proctor');
    env.store.users.upsert({ userId: LISTED, chatId: LISTED, lang: 'zh' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    env.cleanup();
  });

  const link = (userId: number, expiresAt = Date.now() + PROCTOR_LINK_TTL_MS, secret = SECRET) => `t=${encodeURIComponent(signProctorLink({ secret, userId, expiresAt }))}`;
  const REFUSED: Array<[string, () => { query: string; headers?: Record<string, string> }]> = [
    ['no credentials', () => ({ query: '' })],
    ['a contestant’s signed link', () => ({ query: link(CONTESTANT) })],
    ['an expired proctor link', () => ({ query: link(PROCTOR, Date.now() - 1) })],
    ['a link signed with another secret', () => ({ query: link(PROCTOR, undefined, 'another-secret-0123456789abcdef') })],
    ['an editor link of the contestant', () => ({ query: `t=${signEditorLink({ secret: SECRET, stationNo: 'W01', photoId: 1, userId: CONTESTANT, expiresAt: Date.now() + 60_000 })}` })],
    ['a contestant’s Telegram initData', () => ({ query: '', headers: { authorization: `tma ${signedInitData(TEST_TOKEN, CONTESTANT)}` } })],
    ['a proctor’s initData signed with another bot token', () => ({ query: '', headers: { authorization: `tma ${signedInitData('999:another-token-aaaaaaaaaaaaaaaaaaaaa', PROCTOR)}` } })],
  ];

  for (const path of PROCTOR_PATHS) {
    it.each(REFUSED)(`${path}: refuses %s`, async (_name, make) => {
      const { query, headers } = make();
      const res = await fetch(`${base}${path}${query ? `?${query}` : ''}`, headers ? { headers } : {});
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).not.toContain('W01');
    });

    it(`${path}: shows the stations to a proctor by link and by initData`, async () => {
      for (const [query, headers] of [
        [link(PROCTOR), {}],
        ['', { authorization: `tma ${signedInitData(TEST_TOKEN, LISTED)}` }],
      ] as const) {
        const res = await fetch(`${base}${path}${query ? `?${query}` : ''}`, { headers });
        expect(res.status).toBe(200);
        const body = await res.text();
        expect(body).toContain('W01');
        // No contestant's name or ID number.
        expect(body).not.toMatch(/\d{17}[\dXx]/);
      }
    });
  }

  it('the page is the /stations table: columns in the proctor’s language, refreshing itself', async () => {
    const page = await (await fetch(`${base}/proctor?${link(PROCTOR)}`)).text();
    expect(page).toContain('<meta http-equiv="refresh" content="15">');
    expect(page).toContain('<th>confirmed</th>');
    expect(page).toMatch(/<td class="st">W01<\/td><td>\d+\/\d+<\/td><td>1<\/td><td>—<\/td>/);
    const zh = await (await fetch(`${base}/proctor`, { headers: { authorization: `tma ${signedInitData(TEST_TOKEN, LISTED)}` } })).text();
    expect(zh).toContain('<th>已确认</th>');
    const json = (await (await fetch(`${base}/proctor/stations.json?${link(PROCTOR)}`)).json()) as { stations: Array<{ stationNo: string; confirmed: number }> };
    expect(json.stations).toEqual([expect.objectContaining({ stationNo: 'W01', confirmed: 1 })]);
  });

  it('a proctor who lost the role loses the page, whatever link they hold', async () => {
    const held = link(PROCTOR);
    env.store.users.bindStation(PROCTOR, null, 'contestant');
    expect((await fetch(`${base}/proctor?${held}`)).status).toBe(403);
    env.store.users.bindStation(PROCTOR, null, 'proctor');
    expect((await fetch(`${base}/proctor?${held}`)).status).toBe(200);
  });
});
