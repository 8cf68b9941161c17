import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maskIdNumber } from '../core/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../test/harness.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createBot } from './app.js';
import { registerCommands } from './commands.js';
import { createJobQueue, type JobQueue } from '../queue/index.js';
import { testQueues } from '../test/queues.js';
import type { Telegraf } from 'telegraf';
import type { BotContext } from './context.js';

/** The bot end to end on the local Bot API emulator: what a user sees. */
describe('bot on the emulator', () => {
  let emu: Emulator;
  let env: ReturnType<typeof testEnv>;
  let jobs: JobQueue;
  let bot: Telegraf<BotContext>;
  const logged = memoryLogger('bot');
  const prefix = testPrefix();

  beforeAll(async () => {
    env = testEnv();
    emu = await startEmulator({ token: TEST_TOKEN, port: 0 });
    jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
    bot = createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log: logged.log, now: Date.now }, { apiRoot: emu.apiRoot });
    await registerCommands(bot.telegram);
    void bot.launch();
  });

  afterAll(async () => {
    bot.stop('test');
    await jobs.close();
    await testQueues(inject('redisUrl'), prefix).obliterate();
    await emu.close();
    env.cleanup();
  });

  it('registers the command menu in Chinese and English', () => {
    expect(emu.commands().map((c) => c.command)).toEqual(expect.arrayContaining(['start', 'plan', 'help', 'lang']));
    expect(emu.commands().find((c) => c.command === 'plan')?.description).toBe('采集进度');
    expect(emu.commands({ languageCode: 'en' }).find((c) => c.command === 'plan')?.description).toBe('Capture progress');
  });

  it('registers a station, masks and deletes the ID number, shows the plan, switches language', async () => {
    const u = emu.user(1001, { firstName: '张三', languageCode: 'zh-hans' });
    const id = validId();
    await u.sendText('/start');
    expect((await u.nextMessage()).text).toContain('工位号');
    await u.sendText('../etc');
    expect((await u.nextMessage()).text).toContain('工位号只能包含');
    await u.sendText('a07');
    expect((await u.nextMessage()).text).toContain('A07');
    await u.sendText('张三');
    expect((await u.nextMessage()).text).toContain('身份证号');
    await u.sendText(id.slice(0, 17) + (id.endsWith('1') ? '2' : '1'));
    expect((await u.nextMessage()).text).toContain('校验位');
    const idMsg = await u.sendText(id);
    const confirm = await u.nextMessage();
    expect(confirm.text).toContain(maskIdNumber(id));
    expect(u.messages().some((m) => m.message_id === idMsg.message_id)).toBe(false);

    await u.press('✅ 确认');
    const done = await u.waitForMessage(confirm.message_id, (m) => (m.text ?? '').includes('登记完成'));
    expect(done.reply_markup).toBeUndefined();
    expect(env.store.stations.get('A07')).toMatchObject({ contestantName: '张三', idMasked: maskIdNumber(id) });
    expect(env.store.stations.handinFolderName('A07')).toBe(`张三${id}`);

    await u.sendText('/plan');
    const plan = await u.nextMessage();
    expect(plan.text).toContain('0/100');
    expect(plan.text?.match(/░░░░░░░░░░ 0\/(10|20)/g)).toHaveLength(7);
    expect(plan.text).toContain('指针仪表-正常');

    await u.sendText('/lang en');
    expect((await u.nextMessage()).text).toBe('Switched to English.');
    await u.sendText('/plan');
    expect((await u.nextMessage()).text).toContain('Next: <b>Pointer gauge (normal)</b> (10 to go)');

    await u.sendText('/lang');
    const picker = await u.nextMessage();
    await u.press('中文');
    await u.waitForMessage(picker.message_id, (m) => m.text === '已切换为中文。');
    expect(env.store.users.get(1001)?.lang).toBe('zh');

    const everything = u.messages().map((m) => `${m.text ?? ''}${m.caption ?? ''}`).join('\n') + logged.lines.join('\n');
    expect(everything).not.toContain(id);
    expect(logged.lines.join('\n')).not.toContain(TEST_TOKEN.split(':')[1]);
  });

  it('refuses forged and stale buttons politely, changing nothing', async () => {
    const u = emu.user(1002, { languageCode: 'en' });
    await u.sendText('/start');
    const m = await u.nextMessage();
    for (const data of ['v1:reg:ok', 'v0:lang:en', 'rm -rf', 'v1:nope:1', 'v1:lang:fr']) {
      const qid = await u.pressData(m.message_id, data);
      const answer = await u.callbackAnswer(qid);
      expect(answer.text).toBe('This menu is outdated; send the command again.');
    }
    expect(env.store.users.get(1002)?.stationNo).toBeNull();
    expect(env.store.stations.list().map((s) => s.stationNo)).not.toContain('');
  });

  it('refuses a second contestant on a registered station', async () => {
    const u = emu.user(1003, { languageCode: 'en' });
    await u.sendText('/start');
    await u.nextMessage();
    await u.sendText('A07');
    // Refused when typed (issue 11 point 15); typing it again is "it is mine", checked against name and ID at the end.
    expect((await u.nextMessage()).text).toContain('registered to another contestant');
    await u.sendText('A07');
    await u.nextMessage();
    await u.sendText('Li Si');
    await u.nextMessage();
    await u.sendText(validId('11010519851111222'));
    await u.nextMessage();
    await u.press('✅ Confirm');
    expect((await u.nextMessage()).text).toContain('registered to another contestant');
    expect(env.store.users.get(1003)?.stationNo).toBeNull();
    expect(env.store.stations.get('A07')?.contestantName).toBe('张三');
  });

  it('answers anything it does not understand, never silence', async () => {
    const u = emu.user(1004, { languageCode: 'en' });
    await u.sendText('what is this');
    expect((await u.nextMessage()).text).toContain('/help');
    await u.sendText('/frobnicate');
    expect((await u.nextMessage()).text).toContain('Unknown command /frobnicate');
    await u.sendPhoto(Buffer.from('not really a photo'));
    expect((await u.nextMessage()).text).toContain('/start');
    await u.sendText('/help');
    expect((await u.nextMessage()).text).toContain('/capture');
  });

  it('deletes and masks an ID number typed outside registration, and never takes it as a name', async () => {
    const id = validId('11010519900307127');
    const u = emu.user(1005, { languageCode: 'en' });
    const free = await u.sendText(`my id is ${id} ok?`);
    const reply = await u.nextMessage();
    expect(reply.text).toContain(maskIdNumber(id));
    expect(reply.text).not.toContain(id);
    expect(u.messages().some((m) => m.message_id === free.message_id)).toBe(false);

    await u.sendText('/start');
    await u.nextMessage();
    await u.sendText('A09');
    await u.nextMessage();
    await u.sendText(id); // typed as the name
    expect((await u.nextMessage()).text).toContain('ID-card number');
    await u.sendText('张\u202E三');
    expect((await u.nextMessage()).text).toContain('invisible characters');
    expect(u.messages().map((m) => m.text ?? '').join('\n')).not.toContain(id);
  });
});

