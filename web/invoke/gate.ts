/**
 * A counting semaphore for the detect pipeline (decode + inference). Why: sharp and
 * onnxruntime-node both run on libuv's thread pool (4 threads by default), which also
 * serves every file read of the web process. Unbounded, four clients calling detect
 * fill the pool and the box editor's photo GET waits behind them (measured: p95 ≈ 0.6 s
 * in `npm run bench -- invoke`). Bounding the pipeline keeps pool threads free for the
 * editor; requests beyond the bound wait in order, in memory only (their bodies are
 * already bounded by the upload limit).
 */
export class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`gate size must be an integer ≥ 1, got ${size}`);
  }

  /** Runs `fn` when fewer than `size` runs are active; first come, first served. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
