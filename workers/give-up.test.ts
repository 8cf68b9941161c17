import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ExternalServiceError, InvariantError, TransientError, UserInputError } from '../core/index.js';
import { isUnrecoverable, toWorkerError } from './give-up.js';

describe('which worker errors are retried', () => {
  it('gives up at once on a user mistake, a bug, a bad payload and a 4xx', () => {
    const zodError = z.object({ a: z.number() }).safeParse({}).error;
    for (const err of [new UserInputError('bad'), new InvariantError('bug'), zodError, new ExternalServiceError('telegram', 400, 'Bad Request: chat not found')]) {
      expect(isUnrecoverable(err)).toBe(true);
      expect((toWorkerError(err) as Error).name).toBe('UnrecoverableError');
    }
  });

  it('retries what may pass later: a transient error, a 5xx, an unknown error', () => {
    for (const err of [new TransientError('busy'), new ExternalServiceError('telegram', 502, 'Bad Gateway'), new ExternalServiceError('llm', undefined, 'reset'), new Error('ECONNRESET')]) {
      expect(isUnrecoverable(err)).toBe(false);
      expect(toWorkerError(err)).toBe(err);
    }
  });
});
