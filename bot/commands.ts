import type { Telegram } from 'telegraf';
import { t, type CopyKey, type Lang } from './copy/index.js';

const MENU: ReadonlyArray<[string, CopyKey]> = [
  ['start', 'cmd.start'],
  ['plan', 'cmd.plan'],
  ['capture', 'cmd.capture'],
  ['label', 'cmd.label'],
  ['train', 'cmd.train'],
  ['help', 'cmd.help'],
  ['lang', 'cmd.lang'],
];

/** The command menu: Chinese by default, English for English-language clients. */
export async function registerCommands(telegram: Telegram): Promise<void> {
  const menu = (lang: Lang) => MENU.map(([command, key]) => ({ command, description: t(lang, key) }));
  await telegram.setMyCommands(menu('zh'));
  await telegram.setMyCommands(menu('en'), { language_code: 'en' });
}
