import { UnrecoverableError, type Job } from 'bullmq';
import { ZodError } from 'zod';
import { ExternalServiceError, InvariantError, UserInputError } from '../core/index.js';

/**
 * Whether retrying can ever help. The error's class decides (STYLE.md): the user's own
 * mistake, a bug, a payload that does not parse, and a 4xx from another service fail the
 * same way every time, so they are not retried.
 */
export function isUnrecoverable(err: unknown): boolean {
  if (err instanceof UserInputError || err instanceof InvariantError || err instanceof ZodError) return true;
  return err instanceof ExternalServiceError && err.status !== undefined && err.status >= 400 && err.status < 500;
}

/** The error a processor throws to BullMQ: unrecoverable ones become `UnrecoverableError` (failed at once, never retried). */
export function toWorkerError(err: unknown): unknown {
  if (!isUnrecoverable(err)) return err;
  const e = err as Error;
  const out = new UnrecoverableError(err instanceof UserInputError ? err.code : `${e.name}: ${e.message}`);
  out.cause = err;
  return out;
}

/** Whether BullMQ gave up on `job` after this failure (read in the worker's `failed` event, after the job moved). */
export function isFinalFailure(job: Job, err: Error): boolean {
  return err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}
