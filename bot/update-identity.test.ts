import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { updateIdentity } from './update-identity.js';

const msg = (messageId: number, date: number, text: string): Update =>
  ({
    update_id: 1,
    message: { message_id: messageId, date, text, chat: { id: 7, type: 'private', first_name: 'A' }, from: { id: 7, is_bot: false, first_name: 'A' } },
  }) as Update;

describe('updateIdentity', () => {
  it('is the same for a redelivery and differs for a new update that reuses the id', () => {
    expect(updateIdentity(msg(3, 100, '/start'))).toBe(updateIdentity(msg(3, 100, '/start')));
    expect(updateIdentity(msg(4, 100, '/start'))).not.toBe(updateIdentity(msg(3, 100, '/start')));
    expect(updateIdentity(msg(3, 101, '/start'))).not.toBe(updateIdentity(msg(3, 100, '/start')));
  });

  it('holds no text (an ID number typed in a message never reaches the database)', () => {
    expect(updateIdentity(msg(3, 100, '110101199003074477'))).not.toContain('1101');
  });
});
