import { Telegraf } from 'telegraf';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix } from '../test/harness.js';
import { createBot } from './app.js';
import { COMMANDS, helpText, registerCommands } from './commands.js';
import type { BotContext } from './context.js';
import { FLOWS } from './flows/index.js';
import { createJobQueue } from '../queue/index.js';
import { recordBot } from './recorded-bot.js';

/** The command menu and /help promise exactly the commands the flows answer. */
describe('commands', () => {
  const env = testEnv();
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix: testPrefix() });
  const deps = { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now };

  afterAll(async () => {
    await jobs.close();
    env.cleanup();
  });

  it('lists every command a flow registers, and only those', () => {
    const bot = new Telegraf<BotContext>(TEST_TOKEN);
    const registered: string[] = [];
    const command = bot.command.bind(bot);
    bot.command = ((cmd: string | string[], ...fns: unknown[]) => {
      registered.push(...[cmd].flat());
      return (command as (...a: unknown[]) => unknown)(cmd, ...fns);
    }) as typeof bot.command;
    for (const flow of FLOWS) flow.register(bot, deps, new Map());
    expect([...registered].sort()).toEqual(COMMANDS.map((c) => c.command).sort());
  });

  it('answers every listed command with something other than "unknown command"', async () => {
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    for (const { command } of COMMANDS) {
      const before = rec.told().length;
      await rec.send(7001, `/${command}`);
      const replies = rec.told().slice(before);
      expect(replies.length, command).toBeGreaterThan(0);
      expect(replies.join('\n'), command).not.toContain('Unknown command');
    }
    await rec.send(7001, '/nosuchcommand');
    expect(rec.told().at(-1)).toBe('Unknown command /nosuchcommand. Send /help for all commands.');
  });

  it('sends the same commands as the menu (both languages) and in /help', async () => {
    const rec = recordBot(createBot(TEST_TOKEN, deps));
    await registerCommands(rec.bot.telegram);
    const menus = rec.calls.filter((c) => c.method === 'setMyCommands');
    expect(menus).toHaveLength(2);
    const names = COMMANDS.map((c) => c.command);
    for (const m of menus) expect((m.payload.commands as Array<{ command: string }>).map((c) => c.command)).toEqual(names);
    expect(menus[1]?.payload.language_code).toBe('en');
    expect((menus[0]?.payload.commands as Array<{ command: string; description: string }>).find((c) => c.command === 'clean')?.description).toBe('清洗结果');
    for (const lang of ['zh', 'en'] as const) expect(helpText(lang).match(/^\/\w+/gm)).toEqual(names.map((n) => `/${n}`));
    await rec.send(7002, '/help');
    expect(rec.told().at(-1)).toBe(helpText('en'));
  });
});
