import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type Config, type Logger } from '../core/index.js';
import { loadExamConfigFile } from '../store/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { resolveRedis } from './redis-local.js';
import { supervise, type Supervisor } from './supervisor.js';

/** The whole product on one machine, as `npm start` runs it (and `npm run demo`). */
export interface RunningProduct {
  config: Config;
  dataDir: string;
  redisUrl: string;
  redisIsLocal: boolean;
  /** The emulator, when no TELEGRAM_BOT_TOKEN is configured (local mode). */
  emulator?: Emulator;
  /** The web process's base URL. */
  webUrl: string;
  supervisor: Supervisor;
  stop(): Promise<void>;
}

/**
 * Starts (when not configured) a local redis-server and the Telegram emulator with its
 * chat page, then the bot, workers and web processes, restarting any that crashes.
 * `env` overrides the process environment (e.g. a demo's DATA_DIR); `childLog` sends the
 * children's output to a file instead of this terminal.
 */
export async function startProduct(opts: { env?: NodeJS.ProcessEnv; log: Logger; childLog?: string }): Promise<RunningProduct> {
  const environment = { ...process.env, ...opts.env };
  const config = loadConfig(environment);
  const { log } = opts;
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
  const env: Record<string, string> = { ...(opts.env as Record<string, string> | undefined), DATA_DIR: dataDir, REDIS_URL: redis.url };

  let emulator: Emulator | undefined;
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

  const supervisor = supervise(
    [
      { name: 'bot', entry: 'bot/main.ts', env },
      { name: 'workers', entry: 'workers/main.ts', env },
      { name: 'web', entry: 'web/main.ts', env },
    ],
    log,
    opts.childLog ? { logFile: opts.childLog } : {},
  );

  return {
    config,
    dataDir,
    redisUrl: redis.url,
    redisIsLocal: Boolean(redis.local),
    ...(emulator ? { emulator } : {}),
    webUrl: `http://${config.WEB_HOST}:${config.WEB_PORT}`,
    supervisor,
    async stop() {
      await supervisor.stop();
      await emulator?.close();
      await redis.local?.stop();
    },
  };
}
