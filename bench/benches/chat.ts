import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../../emulator/index.js';
import { metric, percentile, type Bench, type Metric } from '../metric.js';
import { BENCH_TOKEN, seedStations, startStack } from '../env.js';

/**
 * The chat: bot process start-up until it polls, `/plan` reply time for one user, and
 * 100 stations sending `/plan` at once (no lost update, p95 ≤ 500 ms).
 */
export const bench: Bench = {
  name: 'chat',
  description: 'bot start-up, /plan reply time, 100 simultaneous stations on the local chat',
  async run(): Promise<Metric[]> {
    const out: Metric[] = [];
    const stack = await startStack();
    try {
      // Start-up of a real bot process, against an emulator of its own.
      const emu2 = await startEmulator({ token: BENCH_TOKEN, port: 0 });
      const t0 = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
        env: { ...process.env, TELEGRAM_BOT_TOKEN: BENCH_TOKEN, TELEGRAM_API_ROOT: emu2.apiRoot, DATA_DIR: `${stack.config.DATA_DIR}/startup`, REDIS_URL: stack.config.REDIS_URL ?? '', QUEUE_PREFIX: stack.config.QUEUE_PREFIX, LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      await emu2.waitForCall('getUpdates', { timeoutMs: 60_000 });
      out.push(metric('bot process start → polling', performance.now() - t0, 'ms'));
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
      await emu2.close();

      const users = seedStations(stack.store, 100);
      const one = stack.emu.user(users[0] ?? 10_000, { languageCode: 'en' });
      const single: number[] = [];
      for (let i = 0; i < 30; i++) {
        const s = performance.now();
        await one.sendText('/plan');
        await one.nextMessage({ timeoutMs: 10_000 });
        single.push(performance.now() - s);
      }
      out.push(metric('/plan reply, one user (median)', percentile(single, 50), 'ms'));
      out.push(metric('/plan reply, one user (p95)', percentile(single, 95), 'ms', 500));

      const all = users.map((id) => stack.emu.user(id, { languageCode: 'en' }));
      const times = await Promise.all(
        all.map(async (u) => {
          const s = performance.now();
          await u.sendText('/plan');
          const m = await u.nextMessage({ timeoutMs: 30_000 }).catch(() => undefined);
          return m ? performance.now() - s : Number.POSITIVE_INFINITY;
        }),
      );
      const lost = times.filter((t) => !Number.isFinite(t)).length;
      out.push(metric('100 stations /plan at once: lost replies', lost, 'count', 0));
      out.push(metric('100 stations /plan at once (p95)', percentile(times.filter(Number.isFinite), 95), 'ms', 500));
    } finally {
      await stack.close();
    }
    return out;
  },
};
