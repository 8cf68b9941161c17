import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { capturePlan, encodeCallback, planProgress, verifyProctorLink } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { ensureLinkSecret, stationPaths } from '../../store/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';
import { STATIONS_PER_PAGE } from './stations.js';

const PROCTOR = 8100;
const CONTESTANT = 8101;
const LISTED = 8150;
const MB = 1024 * 1024;

type Markup = { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };

/** /stations: the proctor's overview of every station, and how a proctor signs in. */
describe('/stations', () => {
  // A local Bot API (the emulator's kind): the projector link points at the local web process.
  const env = testEnv({ PROCTOR_CODE: 'hall-code-42', PROCTOR_IDS: String(LISTED), WEB_PORT: '8090', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const { log, lines } = memoryLogger();
  let left: number | undefined;
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log, now: Date.now, timeLeft: (s: string) => (s === 'S01' ? left : undefined) };

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('signs a proctor in by code (wrong code refused, code never logged) or by PROCTOR_IDS', async () => {
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    await rec.send(PROCTOR, '/start proctor hall-code-41');
    expect(rec.told().at(-1)).toBe('Wrong proctor code.');
    expect(env.store.users.get(PROCTOR)?.role).not.toBe('proctor');
    await rec.send(PROCTOR, '/start proctor hall-code-42');
    expect(rec.told().at(-1)).toContain('Signed in as <b>proctor</b>');
    expect(env.store.users.get(PROCTOR)).toMatchObject({ role: 'proctor', stationNo: null });
    // /start again: welcomed as proctor, not asked to register a station.
    await rec.send(PROCTOR, '/start');
    expect(rec.told().at(-1)).toContain('Signed in as <b>proctor</b>');
    // A listed id needs no code.
    await rec.send(LISTED, '/stations');
    expect(rec.told().at(-1)).toContain('<b>Stations</b>');
    expect(lines.join('\n')).not.toContain('hall-code-4');
  });

  it('shows every station (photos, confirmed, review, training, deployed, reports, time left, disk), refuses anyone else; Refresh edits', async () => {
    await seedConfirmedStation(env, 'S01', CONTESTANT, 2, '1');
    env.store.stations.create({ stationNo: 'S02', contestantName: 'Second', idNumber: validId('2') });
    const raw2 = stationPaths(env.dataDir, 'S02').raw;
    mkdirSync(raw2, { recursive: true });
    writeFileSync(join(raw2, 'a.jpg'), Buffer.alloc(2 * MB));
    // S01: a finished review (1 of 1 qualified), run r1 deployed, run r2 training at epoch 3, stage-one report.
    const photo = env.store.photos.list('S01')[0];
    if (!photo) throw new Error('no photo');
    const review = env.store.reviews.create('S01', 5, 0.2, [photo.id]);
    for (const item of env.store.reviews.items(review.id)) {
      if (item.boxId !== null) env.store.reviews.setVerdict(review.id, item.boxId, 'qualified', PROCTOR);
    }
    env.store.reviews.finish(review.id);
    const r1 = env.store.runs.create({ stationNo: 'S01', kind: 'train', params: {}, chatId: null }).run;
    env.store.runs.update(r1.id, { status: 'completed' });
    env.store.runs.setDeployed(r1.id);
    const r2 = env.store.runs.create({ stationNo: 'S01', kind: 'train', params: {}, chatId: null }).run;
    env.store.runs.update(r2.id, { status: 'running', progress: { epoch: 3 } });
    const reports = stationPaths(env.dataDir, 'S01').reports;
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, 'stage1.pdf'), 'pdf');
    left = 45 * 60_000 + 10_000;

    const total = planProgress(capturePlan(env.exam), new Map()).total;
    const s01Mb = (env.store.disk.station('S01').totalBytes / MB).toFixed(1);
    const accepted = planProgress(capturePlan(env.exam), env.store.photos.countByCombo('S01')).captured;

    const rec = recordBot(createBot(TEST_TOKEN, deps));
    await rec.send(PROCTOR, '/stations');
    const shown = rec.told().at(-1) ?? '';
    expect(shown).toContain('<b>Stations</b> · 2');
    expect(shown).toContain('station · photos · confirmed · review · training · deployed · reports · time left · MB');
    expect(shown).toContain(`S01 · ${accepted}/${total} · 2 · 100.0% · r2 running e3 · r1 · 1 · 46m · ${s01Mb}`);
    expect(shown).toContain(`S02 · 0/${total} · 0 · — · — · — · — · — · 2.0`);
    // No contestant's name or ID number: only station numbers.
    expect(shown).not.toContain('Second');
    expect(shown).not.toMatch(/\d{17}[\dXx]|\*{4}/);
    const sent = rec.calls.filter((c) => c.method === 'sendMessage').at(-1);
    const markup = sent?.payload.reply_markup as Markup;
    expect(markup.inline_keyboard[0]).toEqual([{ text: '🔄 Refresh', callback_data: encodeCallback('st'), hide: false }]);
    // The projector page's link is signed for this proctor.
    const url = new URL(markup.inline_keyboard[1]?.[0]?.url ?? 'http://x/');
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:8090/proctor');
    const check = verifyProctorLink(url.searchParams.get('t') ?? '', { secret: ensureLinkSecret(env.dataDir, undefined) });
    expect(check).toEqual({ ok: true, userId: PROCTOR });

    // A contestant (registered, or not at all) is refused, by command and by button, and sees nothing.
    const edits = () => rec.calls.filter((c) => c.method === 'editMessageText');
    await rec.send(CONTESTANT, '/stations');
    expect(rec.told().at(-1)).toBe('⛔ /stations is for proctors only.');
    await rec.send(8102, '/stations', 'zh');
    expect(rec.told().at(-1)).toBe('⛔ /stations 仅限监考使用。');
    await rec.press(CONTESTANT, encodeCallback('st'));
    expect(rec.told().at(-1)).toBe('⛔ /stations is for proctors only.');
    await rec.press(CONTESTANT, encodeCallback('sp', 0));
    expect(rec.told().at(-1)).toBe('⛔ /stations is for proctors only.');
    expect(edits()).toHaveLength(0);

    // Refresh re-reads the folders and edits the same message.
    writeFileSync(join(raw2, 'b.jpg'), Buffer.alloc(3 * MB));
    await rec.press(PROCTOR, encodeCallback('st'));
    expect(edits()).toHaveLength(1);
    expect(String(edits()[0]?.payload.text)).toContain(`S02 · 0/${total} · 0 · — · — · — · — · — · 5.0`);
    expect(edits()[0]?.payload.message_id).toBe(1);
  });

  it('pages a big hall so each message stays under Telegram’s 4096 characters', async () => {
    for (let i = 3; i <= 70; i++) {
      env.store.stations.create({ stationNo: `S${String(i).padStart(2, '0')}`, contestantName: `C${i}`, idNumber: validId(`110105199003${String(10000 + i).slice(-5)}`) });
    }
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    await rec.send(PROCTOR, '/stations');
    const first = rec.calls.filter((c) => c.method === 'sendMessage').at(-1);
    const text = String(first?.payload.text);
    expect(text.length).toBeLessThan(4096);
    expect(text).toContain('<b>Stations</b> · 70 · page 1/3');
    expect(text).toContain(`S${String(STATIONS_PER_PAGE).padStart(2, '0')} · `);
    expect(text).not.toContain(`S${String(STATIONS_PER_PAGE + 1).padStart(2, '0')} · `);
    const nav = (first?.payload.reply_markup as Markup).inline_keyboard[0]?.map((b) => b.callback_data);
    expect(nav).toEqual([encodeCallback('st'), encodeCallback('sp', 1)]);
    await rec.press(PROCTOR, encodeCallback('sp', 2));
    const last = String(rec.calls.filter((c) => c.method === 'editMessageText').at(-1)?.payload.text);
    expect(last).toContain('page 3/3');
    expect(last).toContain('S70 · ');
    expect(last).not.toContain('S01 · ');
  });
});
