import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { startProduct } from './product.js';

/**
 * `npm start`: the whole product on one machine. Starts (when not configured)
 * a local redis-server and the Telegram emulator with its chat page, then the
 * bot, workers and web processes, restarting any that crash.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'launcher', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  const product = await startProduct({ log });

  const lines = [
    '',
    '  Trainer Copilot is running.',
    product.emulator ? `  Chat (local Telegram):  ${product.emulator.chatUrl}` : '  Chat: your Telegram bot',
    `  Web (invocation service, editor): ${product.webUrl}`,
    `  Data: ${product.dataDir}   Redis: ${product.redisIsLocal ? `local redis-server (${product.redisUrl}, restarted if it dies)` : 'REDIS_URL'}`,
    '  Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await product.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(redactText(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
