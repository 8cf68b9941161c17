import type { MiddlewareFn } from 'telegraf';
import type { Config } from '../core/index.js';
import type { BucketRule } from '../queue/index.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';

/**
 * Per-user rates (issue 16 point 2): every message and button press takes a token from the
 * user's `msg` bucket, every photo or file one more from `upload`. Over the rate the update is
 * not handled and the user is told once, politely, when to go on (a press gets its toast
 * every time, so the spinner stops); nothing saved is touched. Proctors are not limited.
 */

/** The buckets' rules from the config. */
export function rateRules(config: Config): Record<'msg' | 'upload', BucketRule> {
  return {
    msg: { burst: config.RATE_MESSAGES_BURST, perMinute: config.RATE_MESSAGES_PER_MIN },
    upload: { burst: config.RATE_UPLOADS_BURST, perMinute: config.RATE_UPLOADS_PER_MIN },
  };
}

function isUpload(ctx: BotContext): boolean {
  const m = ctx.message;
  return !!m && ('photo' in m || 'document' in m);
}

export function rateLimit(deps: BotDeps): MiddlewareFn<BotContext> {
  const limiter = deps.limiter;
  return async (ctx, next) => {
    const user = ctx.from?.id;
    if (!limiter || user === undefined || ctx.account?.role === 'proctor' || deps.config.PROCTOR_IDS.includes(user)) return next();
    const buckets = isUpload(ctx) ? (['msg', 'upload'] as const) : (['msg'] as const);
    for (const bucket of buckets) {
      const r = await limiter.take(bucket, user);
      if (r.allowed) continue;
      const seconds = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
      const text = ctx.tr(bucket === 'upload' ? 'rate.uploads' : 'rate.messages', { s: seconds });
      deps.log.info({ user, bucket, retryAfterMs: r.retryAfterMs }, 'rate limited');
      if (ctx.callbackQuery) await ctx.answerCbQuery(text);
      else if (r.firstDenied && ctx.chat) await ctx.reply(text);
      return;
    }
    return next();
  };
}
