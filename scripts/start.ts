import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configSecrets, createLogger, loadConfig, redactText } from '../core/index.js';
import { loadExamConfigFile } from '../store/index.js';
import { startEmulator } from '../emulator/index.js';
import { resolveRedis } from './redis-local.js';
import { supervise } from './supervisor.js';

/**
 * `npm start`: the whole product on one machine. Starts (when not configured)
 * a local redis-server and the Telegram emulator with its chat page, then the
 * bot, workers and web processes, restarting any that crash.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ name: 'launcher', level: config.LOG_LEVEL, secrets: configSecrets(config) });
  loadExamConfigFile(config.EXAM_CONFIG); // fail fast, naming every problem
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // the store narrows an older, looser one

  const redis = await resolveRedis({
    url: config.REDIS_URL,
    dir: join(dataDir, 'redis'),
    supervise: {
      onExit: ({ code, signal, restartInMs }) => log.warn({ child: 'redis-server', code, signal, restartInMs }, 'redis-server exited; restarting'),
      onRestart: ({ attempt }) => log.info({ child: 'redis-server', attempt }, 'redis-server is back'),
      onRestartFailed: ({ attempt, error, retryInMs }) => log.error({ child: 'redis-server', attempt, error, retryInMs }, 'redis-server did not start again'),
    },
  });
  const env: Record<string, string> = { DATA_DIR: dataDir, REDIS_URL: redis.url };

  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (!config.TELEGRAM_BOT_TOKEN) {
    const token = `7000000001:local${randomBytes(18).toString('hex')}`;
    emulator = await startEmulator({
      port: config.EMULATOR_PORT,
      host: '127.0.0.1',
      token,
      botUsername: 'trainer_copilot_bot',
      botName: 'Trainer Copilot · 训练师副驾',
      filesDir: join(dataDir, 'emulator'),
    });
    env.TELEGRAM_BOT_TOKEN = token;
    env.TELEGRAM_API_ROOT = emulator.apiRoot;
  }

  const sup = supervise(
    [
      { name: 'bot', entry: 'bot/main.ts', env },
      { name: 'workers', entry: 'workers/main.ts', env },
      { name: 'web', entry: 'web/main.ts', env },
    ],
    log,
  );

  const web = `http://${config.WEB_HOST}:${config.WEB_PORT}`;
  const lines = [
    '',
    '  Trainer Copilot is running.',
    emulator ? `  Chat (local Telegram):  ${emulator.chatUrl}` : '  Chat: your Telegram bot',
    `  Web (invocation service, editor): ${web}`,
    `  Data: ${dataDir}   Redis: ${redis.local ? `local redis-server (${redis.url}, restarted if it dies)` : 'REDIS_URL'}`,
    '  Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await sup.stop();
    await emulator?.close();
    await redis.local?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(redactText(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
