import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error.js';
import type { Message } from './types.js';
import { UpdateQueue } from './update-queue.js';

const msg = (text: string): Message => ({
  message_id: 1,
  from: { id: 1, is_bot: false, first_name: 'u' },
  chat: { id: 1, type: 'private', first_name: 'u' },
  date: 0,
  text,
});

function filled(n: number): UpdateQueue {
  const q = new UpdateQueue();
  for (let i = 1; i <= n; i += 1) q.push({ message: msg(`m${i}`) });
  return q;
}

describe('UpdateQueue (getUpdates semantics)', () => {
  it('numbers updates from 1 and keeps them until an offset confirms them', async () => {
    const q = filled(3);
    expect((await q.get({})).map((u) => u.update_id)).toEqual([1, 2, 3]);
    expect((await q.get({})).map((u) => u.update_id)).toEqual([1, 2, 3]);
    expect((await q.get({ offset: 3 })).map((u) => u.update_id)).toEqual([3]);
    expect(await q.get({ offset: 4 })).toEqual([]);
    expect(q.size).toBe(0);
  });

  it('honours limit and a negative offset (keep only the newest)', async () => {
    const q = filled(5);
    expect((await q.get({ limit: 2 })).map((u) => u.update_id)).toEqual([1, 2]);
    expect((await q.get({ offset: -2 })).map((u) => u.update_id)).toEqual([4, 5]);
    expect(q.size).toBe(2);
  });

  it('returns a pending long poll as soon as an update arrives', async () => {
    const q = new UpdateQueue();
    const poll = q.get({ timeoutSec: 30 });
    q.push({ message: msg('hi') });
    const got = await poll;
    expect(got.map((u) => u.message?.text)).toEqual(['hi']);
  });

  it('ends an idle long poll with no updates after the timeout, not before', async () => {
    vi.useFakeTimers();
    try {
      const q = new UpdateQueue();
      let settled = false;
      const poll = q.get({ timeoutSec: 1 }).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect(await poll).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('terminates the older of two long polls with 409 Conflict', async () => {
    const q = new UpdateQueue();
    const first = q.get({ timeoutSec: 30 });
    const second = q.get({ timeoutSec: 30 });
    await expect(first).rejects.toMatchObject({ code: 409 });
    await expect(first).rejects.toBeInstanceOf(ApiError);
    q.push({ message: msg('x') });
    expect(await second).toHaveLength(1);
  });

  it('forgets a cancelled long poll so the next one gets the update', async () => {
    const q = new UpdateQueue();
    let cancel: (() => void) | undefined;
    const dead = q.get({ timeoutSec: 30 }, (c) => {
      cancel = c;
    });
    cancel?.();
    expect(await dead).toEqual([]);
    q.push({ message: msg('x') });
    expect(await q.get({ timeoutSec: 30 })).toHaveLength(1);
  });

  it('drops update types outside allowed_updates, and keeps the setting', async () => {
    const q = filled(1);
    q.push({ callback_query: { id: '1', from: msg('').from, chat_instance: '1', data: 'd' } });
    expect((await q.get({ allowedUpdates: ['callback_query'] })).map((u) => u.update_id)).toEqual([2]);
    q.push({ message: msg('later') });
    expect((await q.get({})).map((u) => u.update_id)).toEqual([2]);
    expect((await q.get({ allowedUpdates: [] })).map((u) => u.update_id)).toEqual([2]);
  });

  it('close() releases a pending poll', async () => {
    const q = new UpdateQueue();
    const poll = q.get({ timeoutSec: 30 });
    q.close();
    expect(await poll).toEqual([]);
  });
});
