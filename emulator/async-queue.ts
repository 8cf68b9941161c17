/**
 * A FIFO whose `shift` waits for the next item. Used as a chat's inbox: every message
 * the bot sends is pushed when it is sent, so a reader that starts waiting later still
 * gets it, and each item is read once.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(item: T) => void> = [];

  /** Items not yet read. */
  get size(): number {
    return this.items.length;
  }

  /** Hands `item` to the oldest waiting reader, or keeps it for the next one. */
  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  /** Copies of the unread items, oldest first, without reading them. */
  peekAll(): T[] {
    return [...this.items];
  }

  /**
   * The oldest unread item, waiting up to `timeoutMs` for one.
   *
   * @param describeTimeout builds the rejection message, so it can show current state.
   */
  shift(timeoutMs: number, describeTimeout: () => string): Promise<T> {
    const first = this.items.shift();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const waiter = (item: T): void => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
