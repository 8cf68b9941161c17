import { describe, expect, it } from 'vitest';
import { commandEntities, toTgUser } from './user-actions.js';

describe('commandEntities', () => {
  it('marks a leading command, with or without the bot name', () => {
    expect(commandEntities('/start')).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(commandEntities('/train@copilot_bot fast')).toEqual([{ type: 'bot_command', offset: 0, length: 18 }]);
  });

  it('marks commands at word starts only, offsets in UTF-16 units', () => {
    expect(commandEntities('拍照 /capture, then /plan')).toEqual([
      { type: 'bot_command', offset: 3, length: 8 },
      { type: 'bot_command', offset: 18, length: 5 },
    ]);
    expect(commandEntities('a/b and http://x/y')).toEqual([]);
  });
});

describe('toTgUser', () => {
  it('fills a default first name and keeps optional fields out when absent', () => {
    expect(toTgUser({ id: 7 })).toEqual({ id: 7, is_bot: false, first_name: 'User 7' });
    expect(toTgUser({ id: 7, firstName: '小王', username: 'wang', languageCode: 'zh-hans' })).toEqual({
      id: 7, is_bot: false, first_name: '小王', username: 'wang', language_code: 'zh-hans',
    });
  });
});
