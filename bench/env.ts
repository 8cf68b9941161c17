import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Telegraf } from 'telegraf';
import { createLogger, idCheckChar, loadConfig, type Config, type ExamConfig } from '../core/index.js';
import { loadExamConfigFile, openStore, type Store } from '../store/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createBot } from '../bot/app.js';
import type { BotContext } from '../bot/context.js';
import { createJobQueue, createRateLimiter, type JobQueue } from '../queue/index.js';
import { rateRules } from '../bot/rate-limit.js';
import { resolveRedis, type LocalRedis } from '../scripts/redis-local.js';

export const BENCH_TOKEN = '1234567:BENCH-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** A whole product on loopback for a bench: Redis, emulator, store, bot in this process. */
export interface BenchStack {
  emu: Emulator;
  store: Store;
  config: Config;
  exam: ReturnType<typeof loadExamConfigFile>;
  bot: Telegraf<BotContext>;
  jobs: JobQueue;
  close(): Promise<void>;
}

/**
 * `fair: false` gives the bot's producer first-come order (to measure the fair queue against it);
 * `limiter: true` gives the bot its per-user rate limits in Redis, as `bot/main.ts` does;
 * `exam` replaces `config/exam.yaml` (e.g. larger quotas for a bench that sends many photos of one combo).
 */
export async function startStack(over: Record<string, string> = {}, opts: { fair?: boolean; limiter?: boolean; exam?: ExamConfig } = {}): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const redis = await resolveRedis({ url: process.env.REDIS_URL, tryDefault: true });
  const emu = await startEmulator({ token: BENCH_TOKEN, port: 0 });
  const prefix = `bench-${Date.now()}`;
  const config = loadConfig({ DATA_DIR: dir, TELEGRAM_BOT_TOKEN: BENCH_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, ...over });
  const store = openStore({ dataDir: dir });
  const exam = opts.exam ?? loadExamConfigFile('config/exam.yaml');
  const jobs = createJobQueue({ redisUrl: redis.url, prefix, ...(opts.fair === false ? { fair: false } : {}) });
  const log = createLogger({ name: 'bench', level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const limiter = opts.limiter ? createRateLimiter({ redisUrl: redis.url, prefix, rules: rateRules(config) }) : undefined;
  const bot = createBot(BENCH_TOKEN, { config, exam, store, jobs, log, now: Date.now, ...(limiter ? { limiter } : {}) }, { apiRoot: emu.apiRoot });
  await new Promise<void>((resolve, reject) => {
    bot.launch(() => resolve()).catch(reject);
  });
  return {
    emu, store, config, exam, bot, jobs,
    async close() {
      try {
        bot.stop('bench');
      } catch {
        // already stopped by the bench
      }
      await jobs.close();
      await limiter?.close();
      await emu.close();
      store.close();
      await (redis.local as LocalRedis | undefined)?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers `n` stations directly in the store, one user each (ids from `firstUserId`). */
export function seedStations(store: Store, n: number, firstUserId = 10_000): number[] {
  const users: number[] = [];
  for (let i = 0; i < n; i++) {
    const station = `S${String(i + 1).padStart(3, '0')}`;
    const first17 = `1101051990030${String(1000 + i).slice(-4)}`;
    store.stations.create({ stationNo: station, contestantName: `C${i}`, idNumber: first17 + idCheckChar(first17) });
    const userId = firstUserId + i;
    store.users.upsert({ userId, chatId: userId, lang: 'en' });
    store.users.bindStation(userId, station, 'contestant');
    users.push(userId);
  }
  return users;
}
