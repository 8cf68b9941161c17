import { describe, expect, it } from 'vitest';
import { isBenignEditError, isTelegramError } from './telegram-error.js';

/** telegraf's TelegramError, by its public shape (core may not import telegraf). */
class FakeTelegramError extends Error {
  constructor(readonly code: number, readonly description: string) {
    super(`${code}: ${description}`);
  }
}

describe('isTelegramError', () => {
  it('matches code and description, and nothing that merely prints like one', () => {
    const e = new FakeTelegramError(400, 'Bad Request: message is not modified: specified new message content is the same');
    expect(isTelegramError(e)).toBe(true);
    expect(isTelegramError(e, 400, /message is not modified/)).toBe(true);
    expect(isTelegramError(e, 403)).toBe(false);
    expect(isTelegramError(e, 400, /chat not found/)).toBe(false);
    expect(isTelegramError(new Error('400: Bad Request: message is not modified'), 400)).toBe(false);
    expect(isTelegramError('message is not modified')).toBe(false);
  });
  it('calls only unchanged or vanished messages benign', () => {
    expect(isBenignEditError(new FakeTelegramError(400, 'Bad Request: message to edit not found'))).toBe(true);
    expect(isBenignEditError(new FakeTelegramError(400, 'Bad Request: message is not modified'))).toBe(true);
    expect(isBenignEditError(new FakeTelegramError(403, 'Forbidden: bot was blocked by the user'))).toBe(false);
    expect(isBenignEditError(new FakeTelegramError(400, 'Bad Request: chat not found'))).toBe(false);
  });
});
