import type { Telegram } from 'telegraf';
import { t, type CopyKey, type Lang } from '../core/index.js';

/**
 * Every slash command the bot answers, in menu order (the exam's order: Task 1, then Task 2, then hand-in), with its one-line description.
 * The command menu and `/help` are both built from this list, and a test checks it
 * against the commands the flows register, so neither can promise a command that
 * answers "unknown" nor hide one that works. A new command is added here and in its flow.
 */
export const COMMANDS = [
  { command: 'start', description: 'cmd.start' },
  { command: 'plan', description: 'cmd.plan' },
  { command: 'capture', description: 'cmd.capture' },
  { command: 'clean', description: 'cmd.clean' },
  { command: 'label', description: 'cmd.label' },
  { command: 'check', description: 'cmd.check' },
  { command: 'review', description: 'cmd.review' },
  { command: 'dataset', description: 'cmd.dataset' },
  { command: 'import', description: 'cmd.import' },
  { command: 'report1', description: 'cmd.report1' },
  { command: 'train', description: 'cmd.train' },
  { command: 'models', description: 'cmd.models' },
  { command: 'deploy', description: 'cmd.deploy' },
  { command: 'predict', description: 'cmd.predict' },
  { command: 'report2', description: 'cmd.report2' },
  { command: 'handin', description: 'cmd.handin' },
  { command: 'lang', description: 'cmd.lang' },
  { command: 'help', description: 'cmd.help' },
  { command: 'stations', description: 'cmd.stations' },
  { command: 'timer', description: 'cmd.timer' },
  { command: 'status', description: 'cmd.status' },
  { command: 'ask', description: 'cmd.ask' },
] as const satisfies ReadonlyArray<{ command: string; description: CopyKey }>;

export type CommandName = (typeof COMMANDS)[number]['command'];

/** The command menu in `lang`, as `setMyCommands` takes it. */
export function commandMenu(lang: Lang): Array<{ command: CommandName; description: string }> {
  return COMMANDS.map((c) => ({ command: c.command, description: t(lang, c.description) }));
}

/** The `/help` text: one line per command of `COMMANDS`. */
export function helpText(lang: Lang): string {
  const lines = COMMANDS.map((c) => `/${c.command} ${t(lang, c.description)}`);
  return [t(lang, 'help.title'), ...lines, '', t(lang, 'help.footer')].join('\n');
}

/** The command menu: Chinese by default, English for English-language clients. */
export async function registerCommands(telegram: Telegram): Promise<void> {
  await telegram.setMyCommands(commandMenu('zh'));
  await telegram.setMyCommands(commandMenu('en'), { language_code: 'en' });
}
