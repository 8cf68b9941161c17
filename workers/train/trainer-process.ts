import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One JSON line from the trainer's stdout (`start`, `step`, `epoch`, `best`, `done`, `error`). */
export type TrainerEvent = { type: string } & Record<string, unknown>;

export interface TrainerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  done?: TrainerEvent;
  error?: TrainerEvent;
  /** Last lines of stderr, for the log when the trainer fails without an error event. */
  stderrTail: string;
}

/**
 * Runs the Python trainer and streams its JSON-lines events. `shouldStop` is polled;
 * when it says so the trainer gets SIGTERM and finishes cleanly with its best model.
 * The trainer's stdin stays open as a lifeline: if this process dies, the pipe closes
 * and the trainer stops instead of training on as an orphan.
 */
export function runTrainer(opts: {
  python: string;
  script: string;
  args: string[];
  onEvent: (e: TrainerEvent) => void;
  shouldStop: () => boolean;
  pollMs?: number;
  env?: Record<string, string>;
}): Promise<TrainerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.python, [opts.script, ...opts.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...opts.env },
    });
    let done: TrainerEvent | undefined;
    let error: TrainerEvent | undefined;
    let stderr = '';
    let stopSent = false;
    child.once('error', (err) => reject(new Error(`cannot start the trainer (${opts.python}): ${err.message}; install python3-torch or set TRAINER_PYTHON`)));
    child.stderr.on('data', (d) => {
      stderr = (stderr + String(d)).slice(-4000);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let e: TrainerEvent;
      try {
        e = JSON.parse(line) as TrainerEvent;
      } catch {
        return; // not an event; the trainer writes logs to stderr, but be lenient
      }
      if (typeof e?.type !== 'string') return;
      if (e.type === 'done') done = e;
      if (e.type === 'error') error = e;
      opts.onEvent(e);
    });
    const timer = setInterval(() => {
      if (!stopSent && opts.shouldStop()) {
        stopSent = true;
        child.kill('SIGTERM');
      }
    }, opts.pollMs ?? 1000);
    child.once('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, done, error, stderrTail: stderr.split('\n').slice(-12).join('\n') });
    });
  });
}
