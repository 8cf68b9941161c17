import { Markup } from 'telegraf';
import { encodeCallback, t, type Lang } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps, Flow } from '../deps.js';

const LANGS: readonly Lang[] = ['zh', 'en'];

async function switchTo(ctx: BotContext, deps: BotDeps, lang: Lang): Promise<string> {
  if (ctx.account) deps.store.users.setLang(ctx.account.userId, lang);
  ctx.lang = lang;
  return t(lang, 'lang.switched');
}

/** `/lang`, `/lang en`, and the language buttons. */
export const langFlow: Flow = {
  name: 'lang',
  register(bot, deps, actions) {
    bot.command('lang', async (ctx) => {
      const arg = ctx.payload.trim().toLowerCase();
      const lang = LANGS.find((l) => arg === l || (l === 'zh' && ['cn', '中文', 'chinese'].includes(arg)) || (l === 'en' && arg === 'english'));
      if (lang) {
        await ctx.reply(await switchTo(ctx, deps, lang));
        return;
      }
      await ctx.reply(
        t(ctx.lang, 'lang.pick'),
        Markup.inlineKeyboard(LANGS.map((l) => Markup.button.callback(t(l, 'lang.name'), encodeCallback('lang', l)))),
      );
    });
    actions.set('lang', async (ctx, [arg]) => {
      const lang = LANGS.find((l) => l === arg);
      if (!lang) {
        await ctx.answerCbQuery(ctx.tr('err.stale'));
        return;
      }
      const text = await switchTo(ctx, deps, lang);
      await ctx.answerCbQuery(text);
      await ctx.editMessageText(text);
    });
  },
};
