import { afterAll, describe, expect, inject, it } from 'vitest';
import { InvariantError, UserInputError } from '../core/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../test/harness.js';
import { createBot } from './app.js';
import type { Flow } from './deps.js';
import { FLOWS } from './flows/index.js';
import { createJobQueue } from '../queue/index.js';
import { recordBot } from './recorded-bot.js';

/** Whatever reaches the central handler gets an answer; stale presses and unregistered users too. */
describe('the error boundary', () => {
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const logged = memoryLogger('bot');
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log: logged.log, now: Date.now };
  /** Commands that fail on purpose, to reach `bot.catch` the way any flow's error would. */
  const failing: Flow = {
    name: 'failing',
    register(bot) {
      bot.command('refuse', () => {
        throw new UserInputError('train.param', { field: 'epochs', value: '9999', range: '1–300' });
      });
      bot.command('nocode', () => {
        throw new UserInputError('no.such.code');
      });
      bot.command('crash', () => {
        throw new Error('boom');
      });
    },
  };
  const rec = recordBot(createBot(TEST_TOKEN, deps, { flows: [...FLOWS, failing] }));

  env.store.stations.create({ stationNo: 'B01', contestantName: 'Wang', idNumber: validId() });
  env.store.users.upsert({ userId: 8001, chatId: 8001, lang: 'en' });
  env.store.users.bindStation(8001, 'B01', 'contestant');

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('answers a UserInputError with its text in the user language', async () => {
    await rec.send(8001, '/refuse');
    expect(rec.told().at(-1)).toBe('epochs=“9999” is invalid; allowed: 1–300');
    await rec.send(8002, '/refuse', 'zh-hans');
    expect(rec.told().at(-1)).toContain('epochs');
    expect(rec.told().at(-1)).toContain('1–300');
  });

  it('answers anything else (and a code with no text) with an apology whose incident id the log carries', async () => {
    for (const cmd of ['/crash', '/nocode']) {
      await rec.send(8001, cmd);
      const said = rec.told().at(-1) ?? '';
      const incident = said.match(/incident ([0-9A-Z]{6})/)?.[1];
      expect(incident, cmd).toBeDefined();
      expect(logged.lines.some((l) => l.includes(`"incident":"${incident}"`) && l.includes('bot handler failed'))).toBe(true);
    }
  });

  it('tells a user whose press was already answered in the chat instead', async () => {
    // The list handler answers the press, then its edit fails for real (not "not modified").
    rec.fail('editMessageText', 400, 'Bad Request: chat not found');
    const before = rec.calls.length;
    await rec.press(8001, 'v1:cl:r:0');
    expect(rec.calls.slice(before).map((c) => [c.method, c.failed])).toEqual([
      ['answerCallbackQuery', false],
      ['editMessageText', true],
      ['answerCallbackQuery', true],
      ['sendMessage', false],
    ]);
    expect(rec.told().at(-1)).toMatch(/^Sorry, something went wrong \(incident [0-9A-Z]{6}\)/);
  });

  it('ignores an edit that changed nothing: no apology', async () => {
    rec.fail('editMessageText', 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same');
    const before = rec.told().length;
    await rec.press(8001, 'v1:cl:a:0');
    expect(rec.told().slice(before)).toEqual([]);
    expect(rec.calls.at(-1)).toMatchObject({ method: 'editMessageText', failed: true });
  });

  it('refuses a press of the wrong shape as an outdated menu, changing nothing', async () => {
    for (const data of ['v1:cl:r', 'v1:cl:r:0:9', 'v1:cl:r:x', 'v1:pc:1', 'v1:zz:1']) {
      await rec.press(8001, data);
      expect(rec.told().at(-1), data).toBe('This menu is outdated; send the command again.');
    }
  });

  it('asks an unregistered user to register, for commands, photos and buttons', async () => {
    for (const cmd of ['/plan', '/capture', '/clean', '/label', '/train', '/models']) {
      await rec.send(8003, cmd);
      expect(rec.told().at(-1), cmd).toBe('Send /start to register your station first.');
    }
    for (const data of ['v1:cl:r:0', 'v1:cv:1', 'v1:cap:0', 'v1:tp:fast', 'v1:pc:1:1']) {
      await rec.press(8003, data);
      expect(rec.calls.at(-1)?.method, data).toBe('answerCallbackQuery');
      expect(rec.told().at(-1), data).toBe('Send /start to register your station first.');
    }
  });

  it('refuses to start when a button action has no handler', () => {
    expect(() => createBot(TEST_TOKEN, deps, { flows: FLOWS.filter((f) => f.name !== 'label') })).toThrow(InvariantError);
    expect(() => createBot(TEST_TOKEN, deps, { flows: FLOWS.filter((f) => f.name !== 'label') })).toThrow(/pc, pm, pb, pk, pd, px/);
  });
});
