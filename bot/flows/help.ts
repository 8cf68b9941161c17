import type { Flow } from '../deps.js';

export const helpFlow: Flow = {
  name: 'help',
  register(bot) {
    bot.command('help', (ctx) => ctx.reply(ctx.tr('help.text'), { parse_mode: 'HTML' }));
  },
};
