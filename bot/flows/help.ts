import { helpText } from '../commands.js';
import type { Flow } from '../deps.js';

/** `/help`: every command of the menu, from the same list. */
export const helpFlow: Flow = {
  name: 'help',
  register(bot) {
    bot.command('help', (ctx) => ctx.reply(helpText(ctx.lang), { parse_mode: 'HTML' }));
  },
};
