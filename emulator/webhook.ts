import type { Update } from './types.js';
import type { UpdateQueue } from './update-queue.js';

/** What `setWebhook` asked for. */
export interface WebhookSettings {
  url: string;
  /** Sent as `X-Telegram-Bot-Api-Secret-Token` when set. */
  secretToken?: string;
}

/** How long one post may take before it counts as failed (Telegram waits about this long). */
const POST_TIMEOUT_MS = 10_000;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Telegram's webhook delivery: each pending update is POSTed as JSON to the URL, oldest
 * first, one at a time; a 2xx answer confirms it, anything else (an error status, a refused
 * connection, no answer within the timeout) keeps it and tries again with a growing pause,
 * so an update reaches the bot at least once. `lastError` is what `getWebhookInfo` reports.
 */
export class WebhookSender {
  lastError: { date: number; message: string } | undefined;
  private isStopped = false;
  private wake: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly queue: UpdateQueue,
    readonly settings: WebhookSettings,
  ) {
    this.done = this.loop();
  }

  /** A new update is pending: deliver it now rather than after the current pause. */
  notify(): void {
    this.wake?.();
  }

  /** Stops after the post in flight (if any). */
  async stop(): Promise<void> {
    this.isStopped = true;
    this.wake?.();
    await this.done;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async loop(): Promise<void> {
    let backoff = RETRY_MIN_MS;
    while (!this.isStopped) {
      const next = this.queue.peek();
      if (!next) {
        await this.pause(60_000);
        continue;
      }
      if (await this.post(next)) {
        this.queue.ack(next.update_id);
        backoff = RETRY_MIN_MS;
      } else {
        await this.pause(backoff);
        backoff = Math.min(RETRY_MAX_MS, backoff * 2);
      }
    }
  }

  private async post(update: Update): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.secretToken) headers['x-telegram-bot-api-secret-token'] = this.settings.secretToken;
    try {
      const res = await fetch(this.settings.url, { method: 'POST', headers, body: JSON.stringify(update), signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
      await res.body?.cancel();
      if (res.ok) return true;
      this.lastError = { date: Math.floor(Date.now() / 1000), message: `Wrong response from the webhook: ${res.status} ${res.statusText}` };
    } catch (err) {
      this.lastError = { date: Math.floor(Date.now() / 1000), message: `Connection failed: ${(err as Error).message}` };
    }
    return false;
  }
}
