import { Telegram } from 'telegraf';
import type { Config } from '../core/index.js';

/** BullMQ connection options from the config (workers need `maxRetriesPerRequest: null`). */
export function redisConnection(config: Config): { url: string; maxRetriesPerRequest: null } {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set; run `npm start` (it starts a local Redis) or set REDIS_URL');
  return { url: config.REDIS_URL, maxRetriesPerRequest: null };
}

/** The Telegram client workers use to send results to the chat themselves. */
export function telegramClient(config: Config): Telegram {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set; run `npm start` for local mode');
  return new Telegram(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
}
