/**
 * The four error classes of the product. The class decides what happens next:
 * a `UserInputError` is shown to the user (through its `code`, translated in
 * `core/copy/`) and never retried; a `TransientError` is retried; an
 * `ExternalServiceError` names the service and status; an `InvariantError` is a bug.
 */

/** The user can fix it. `code` maps to text in the user's language; `params` fill it in. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? code);
  }
}

/** Worth retrying later (a busy database, a dropped connection). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Telegram, the LLM or another service answered with an error. */
export class ExternalServiceError extends Error {
  override readonly name = 'ExternalServiceError';
  constructor(
    readonly service: 'telegram' | 'llm' | 'redis' | 'trainer' | string,
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A broken invariant: a bug. The message says how to fix it. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Exhaustiveness check for `switch` over a discriminated union. */
export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** A short random id that the user sees and the log carries, to find an incident. */
export function incidentId(random: () => number = Math.random): string {
  return Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')
    .toUpperCase();
}
