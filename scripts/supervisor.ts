import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Logger } from '../core/index.js';

/**
 * Runs the product's processes as children and restarts one that crashes
 * (with back-off), so a crash never needs a person. State is in SQLite, DATA_DIR
 * and Redis, so a restarted process picks up where the old one stopped.
 */
export interface ChildSpec {
  name: string;
  /** A TypeScript entry point, run with tsx. */
  entry: string;
  env: Record<string, string>;
}

export interface Supervisor {
  stop(): Promise<void>;
  children(): ReadonlyMap<string, ChildProcess>;
}

/** `logFile`: the children's stdout and stderr go there (appended) instead of this terminal. */
export function supervise(specs: readonly ChildSpec[], log: Logger, opts: { logFile?: string } = {}): Supervisor {
  const out = opts.logFile === undefined ? undefined : openSync(opts.logFile, 'a');
  const running = new Map<string, ChildProcess>();
  const crashes = new Map<string, number[]>();
  let stopping = false;

  const start = (spec: ChildSpec): void => {
    const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
      env: { ...process.env, ...spec.env },
      stdio: out === undefined ? ['ignore', 'inherit', 'inherit'] : ['ignore', out, out],
    });
    running.set(spec.name, child);
    child.once('exit', (code, signal) => {
      running.delete(spec.name);
      if (stopping) return;
      const now = Date.now();
      const recent = (crashes.get(spec.name) ?? []).filter((t) => now - t < 60_000);
      recent.push(now);
      crashes.set(spec.name, recent);
      const delay = Math.min(30_000, 500 * 2 ** (recent.length - 1));
      log.warn({ child: spec.name, code, signal, restartInMs: delay }, 'process exited; restarting');
      setTimeout(() => !stopping && start(spec), delay).unref();
    });
  };

  for (const spec of specs) start(spec);

  return {
    children: () => running,
    async stop() {
      stopping = true;
      await Promise.all(
        [...running.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      if (out !== undefined) closeSync(out);
    },
  };
}
