import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { capturePlan, encodeCallback, planProgress } from '../../core/index.js';
import { createJobQueue } from '../../queue/index.js';
import { stationPaths } from '../../store/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { createBot } from '../app.js';
import { recordBot } from '../recorded-bot.js';

const PROCTOR = 8100;
const CONTESTANT = 8101;
const MB = 1024 * 1024;

/** /stations: the proctor's overview of every station with its photo counts and disk use. */
describe('/stations', () => {
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now };

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('shows a proctor every station, refuses anyone else, and Refresh edits the message', async () => {
    await seedConfirmedStation(env, 'S01', CONTESTANT, 2, '1');
    env.store.stations.create({ stationNo: 'S02', contestantName: 'Second', idNumber: validId('2') });
    const raw2 = stationPaths(env.dataDir, 'S02').raw;
    mkdirSync(raw2, { recursive: true });
    writeFileSync(join(raw2, 'a.jpg'), Buffer.alloc(2 * MB));
    env.store.users.upsert({ userId: PROCTOR, chatId: PROCTOR, lang: 'en' });
    env.store.users.bindStation(PROCTOR, null, 'proctor');
    const total = planProgress(capturePlan(env.exam), new Map()).total;
    const s01Mb = (env.store.disk.station('S01').totalBytes / MB).toFixed(1);
    expect(Number(s01Mb)).toBeGreaterThan(0);

    const rec = recordBot(createBot(TEST_TOKEN, deps));
    await rec.send(PROCTOR, '/stations');
    const shown = rec.told().at(-1) ?? '';
    expect(shown).toContain('<b>Stations</b> · 2');
    const accepted = planProgress(capturePlan(env.exam), env.store.photos.countByCombo('S01')).captured;
    expect(shown).toContain(`S01 · photos ${accepted}/${total} · confirmed 2 · disk ${s01Mb} MB`);
    expect(shown).toContain(`S02 · photos 0/${total} · confirmed 0 · disk 2.0 MB`);
    // No contestant's name or ID number: only station numbers.
    expect(shown).not.toContain('Second');
    expect(shown).not.toMatch(/\d{17}[\dXx]|\*{4}/);
    const sent = rec.calls.filter((c) => c.method === 'sendMessage').at(-1);
    const markup = sent?.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    expect(markup.inline_keyboard.flat()).toEqual([{ text: '🔄 Refresh', callback_data: encodeCallback('st'), hide: false }]);

    // A contestant (registered, or not at all) is refused, by command and by button, and sees nothing.
    const edits = () => rec.calls.filter((c) => c.method === 'editMessageText');
    await rec.send(CONTESTANT, '/stations');
    expect(rec.told().at(-1)).toBe('⛔ /stations is for proctors only.');
    await rec.send(8102, '/stations', 'zh');
    expect(rec.told().at(-1)).toBe('⛔ /stations 仅限监考使用。');
    await rec.press(CONTESTANT, encodeCallback('st'));
    expect(rec.told().at(-1)).toBe('⛔ /stations is for proctors only.');
    expect(edits()).toHaveLength(0);

    // Refresh re-reads the folders and edits the same message.
    writeFileSync(join(raw2, 'b.jpg'), Buffer.alloc(3 * MB));
    await rec.press(PROCTOR, encodeCallback('st'));
    expect(edits()).toHaveLength(1);
    const edited = String(edits()[0]?.payload.text);
    expect(edited).toContain(`S02 · photos 0/${total} · confirmed 0 · disk 5.0 MB`);
    expect(edits()[0]?.payload.message_id).toBe(1);
  });
});
