import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseTrainerLine, type TrainerDoneEvent, type TrainerErrorEvent, type TrainerEvent } from '../../core/index.js';

export type { TrainerEvent } from '../../core/index.js';

export interface TrainerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  done?: TrainerDoneEvent;
  error?: TrainerErrorEvent;
  /** Last lines of stderr, for the log when the trainer fails without an error event. */
  stderrTail: string;
}

/** Variables the trainer may see by name: paths, locale, temp folder. */
const TRAINER_ENV_NAMES = new Set(['PATH', 'HOME', 'USER', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'LD_LIBRARY_PATH', 'VIRTUAL_ENV', 'XDG_CACHE_HOME']);
/** …and by prefix: locale, thread counts (OpenMP, MKL, OpenBLAS), torch, CUDA, Python's own. */
const TRAINER_ENV_PREFIXES = ['LC_', 'OMP_', 'MKL_', 'OPENBLAS_', 'KMP_', 'NUMEXPR_', 'TORCH_', 'PYTORCH_', 'CUDA_', 'CUDNN_', 'NVIDIA_', 'PYTHON'];

/**
 * The environment the trainer child gets: an allow-list of what Python, torch and the
 * thread libraries read, never the whole parent environment. The worker's environment holds
 * the bot token, API keys and the link secret; a child that is handed files from contestants
 * has no business seeing them.
 */
export function trainerEnv(parent: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (TRAINER_ENV_NAMES.has(name) || TRAINER_ENV_PREFIXES.some((p) => name.startsWith(p))) env[name] = value;
  }
  return env;
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
  /** A stdout line that is not a contract event (logged by the caller, then skipped). */
  onBadLine?: (line: string, error: string) => void;
  shouldStop: () => boolean;
  pollMs?: number;
  env?: Record<string, string>;
}): Promise<TrainerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.python, [opts.script, ...opts.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...trainerEnv(process.env), PYTHONUNBUFFERED: '1', ...opts.env },
    });
    let done: TrainerDoneEvent | undefined;
    let error: TrainerErrorEvent | undefined;
    let stderr = '';
    let stopSent = false;
    child.once('error', (err) => reject(new Error(`cannot start the trainer (${opts.python}): ${err.message}; install python3-torch or set TRAINER_PYTHON`)));
    child.stderr.on('data', (d) => {
      stderr = (stderr + String(d)).slice(-4000);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = parseTrainerLine(line);
      if (!parsed.ok) {
        opts.onBadLine?.(line.slice(0, 200), parsed.error);
        return;
      }
      const e = parsed.event;
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
