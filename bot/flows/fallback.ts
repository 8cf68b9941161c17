import type { Flow } from '../deps.js';
import { requireStation } from '../guards.js';

/** Last in line: every update that no flow took gets a helpful answer, never silence. */
export const fallbackFlow: Flow = {
  name: 'fallback',
  register(bot) {
    bot.on('message', async (ctx) => {
      const msg = ctx.message;
      if ('text' in msg) {
        const text = msg.text.trim();
        if (text.startsWith('/')) {
          const command = text.split(/[\s@]/)[0] ?? text;
          await ctx.reply(ctx.tr('fallback.command', { command }));
          return;
        }
        await ctx.reply(ctx.tr('fallback.text'));
        return;
      }
      if (!(await requireStation(ctx))) return;
      await ctx.reply(ctx.tr('fallback.media'));
    });
  },
};
