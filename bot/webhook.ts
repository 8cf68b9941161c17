import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Config, Logger } from '../core/index.js';
import type { BotContext } from './context.js';

/** Updates are small; a bigger post is not from Telegram. */
const MAX_UPDATE_BYTES = 1024 * 1024;

/**
 * The secret Telegram sends with every webhook post (`X-Telegram-Bot-Api-Secret-Token`):
 * `WEBHOOK_SECRET`, else derived from the bot token, so every replica of one bot computes
 * the same one without another setting to share.
 */
export function webhookSecret(config: Pick<Config, 'WEBHOOK_SECRET'>, token: string): string {
  return config.WEBHOOK_SECRET ?? createHash('sha256').update(`copilot-webhook:${token}`).digest('base64url');
}

/**
 * Webhook mode: serves `POST <path of WEBHOOK_URL>` (secret header checked by telegraf's
 * `webhookCallback`: a wrong or missing one gets 403 and is never handled) and `GET /healthz`
 * for the load balancer, on WEBHOOK_HOST:WEBHOOK_PORT, then tells the Bot API the URL with
 * `setWebhook` (every replica sets the same URL and secret: idempotent). TLS is the load
 * balancer's (Telegram posts only to https).
 */
export async function startWebhook(bot: Telegraf<BotContext>, config: Config, token: string, log: Logger): Promise<Server> {
  const url = new URL(config.WEBHOOK_URL!);
  const secret = webhookSecret(config, token);
  const callback = bot.webhookCallback(url.pathname, { secretToken: secret });
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_UPDATE_BYTES) {
      res.writeHead(413).end();
      return;
    }
    callback(req, res).catch((err: unknown) => {
      log.error({ err }, 'webhook update failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.WEBHOOK_PORT, config.WEBHOOK_HOST, resolve);
  });
  bot.botInfo ??= await bot.telegram.getMe();
  await bot.telegram.setWebhook(url.href, { secret_token: secret, drop_pending_updates: false });
  log.info({ path: url.pathname, port: config.WEBHOOK_PORT }, 'bot receiving updates by webhook');
  return server;
}
