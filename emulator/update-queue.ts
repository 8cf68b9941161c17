import { apiErrors } from './api-error.js';
import type { Update } from './types.js';

/** The arguments of one `getUpdates` call, already parsed. */
export interface GetUpdatesRequest {
  offset?: number;
  /** 1..100; default 100. */
  limit?: number;
  /** Seconds to hold the request open when nothing is pending; 0 returns at once. */
  timeoutSec?: number;
  /** Update types to deliver from now on; absent keeps the previous setting. */
  allowedUpdates?: string[];
}

type UpdateWithoutId = Omit<Update, 'update_id'>;

interface Waiter {
  request: GetUpdatesRequest;
  resolve: (updates: Update[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Types delivered when `allowed_updates` is empty or never set (Telegram's default). */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** The field of an update that names its type, e.g. `message`. */
export function updateType(update: UpdateWithoutId): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

/**
 * The bot's pending updates with Telegram's `getUpdates` semantics: ids increase by one,
 * an `offset` confirms (forgets) every update below it, a negative offset keeps only
 * that many of the newest, a long poll returns as soon as an update arrives, and a new
 * `getUpdates` terminates a pending one with 409 Conflict.
 */
export class UpdateQueue {
  private pending: Update[] = [];
  private nextId = 1;
  private allowed: Set<string> | undefined;
  private waiter: Waiter | undefined;
  private isClosed = false;
  /** Set while a webhook is active: getUpdates is refused and `onPush` wakes the sender. */
  private webhookListener: (() => void) | undefined;

  /** Updates not yet confirmed by the bot. */
  get size(): number {
    return this.pending.length;
  }

  /** Adds an update (its `update_id` is assigned here) and wakes a pending long poll. */
  push(update: UpdateWithoutId): Update {
    const full = { update_id: this.nextId++, ...update } as Update;
    this.pending.push(full);
    this.webhookListener?.();
    const w = this.waiter;
    if (w) {
      const ready = this.take(w.request);
      if (ready.length > 0) {
        this.waiter = undefined;
        clearTimeout(w.timer);
        w.resolve(ready);
      }
    }
    return full;
  }

  /**
   * Answers one `getUpdates` call. `onCancel` receives a function the HTTP layer calls
   * when the client goes away, so a dead long poll does not hold updates or cause a
   * Conflict for the next one.
   */
  get(request: GetUpdatesRequest, onCancel?: (cancel: () => void) => void): Promise<Update[]> {
    if (this.webhookListener) return Promise.reject(apiErrors.webhookActive());
    if (this.waiter) {
      const old = this.waiter;
      this.waiter = undefined;
      clearTimeout(old.timer);
      old.reject(apiErrors.conflict());
    }
    if (request.allowedUpdates !== undefined) {
      this.allowed = request.allowedUpdates.length > 0 ? new Set(request.allowedUpdates) : undefined;
    }
    this.confirm(request.offset);
    const ready = this.take(request);
    const timeoutMs = Math.max(0, request.timeoutSec ?? 0) * 1000;
    if (ready.length > 0 || timeoutMs === 0 || this.isClosed) return Promise.resolve(ready);
    return new Promise<Update[]>((resolve, reject) => {
      const waiter: Waiter = {
        request: { ...request, offset: undefined },
        resolve,
        reject,
        timer: setTimeout(() => {
          if (this.waiter === waiter) this.waiter = undefined;
          resolve([]);
        }, timeoutMs),
      };
      this.waiter = waiter;
      onCancel?.(() => {
        if (this.waiter !== waiter) return;
        this.waiter = undefined;
        clearTimeout(waiter.timer);
        resolve([]);
      });
    });
  }

  /** Ends a pending long poll with no updates and makes later polls return at once. */
  close(): void {
    this.isClosed = true;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
  }

  /**
   * Webhook mode on (a listener told of each new update) or off (`undefined`). While on,
   * `getUpdates` answers 409 as Telegram does, and a pending long poll ends empty.
   */
  setWebhookListener(listener: (() => void) | undefined): void {
    this.webhookListener = listener;
    const w = this.waiter;
    if (listener && w) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.resolve([]);
    }
  }

  /** The oldest deliverable update (webhook delivery), left pending until `ack`. */
  peek(): Update | undefined {
    return this.take({ limit: 1 })[0];
  }

  /** Confirms one delivered update (a webhook post answered 2xx). */
  ack(updateId: number): void {
    this.pending = this.pending.filter((u) => u.update_id !== updateId);
  }

  /** Forgets every pending update, as `deleteWebhook({ drop_pending_updates: true })`. */
  dropPending(): void {
    this.pending = [];
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) this.pending = this.pending.slice(offset);
    else this.pending = this.pending.filter((u) => u.update_id >= offset);
  }

  private isAllowed(u: Update): boolean {
    const type = updateType(u);
    return this.allowed ? this.allowed.has(type) : !NOT_BY_DEFAULT.has(type);
  }

  private take(request: GetUpdatesRequest): Update[] {
    // Updates of types the bot does not want are never delivered: drop them.
    this.pending = this.pending.filter((u) => this.isAllowed(u));
    const limit = Math.min(100, Math.max(1, request.limit ?? 100));
    return this.pending.slice(0, limit);
  }
}
