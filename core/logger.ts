import { pino, type Logger, type DestinationStream } from 'pino';
import { redactText, redactValue } from './redact.js';

export type { Logger } from 'pino';

/**
 * The one logger factory. Every string and object that goes through it is
 * redacted: bot tokens, API keys and ID numbers never reach a log line.
 * `secrets` are extra literal values (the configured token, the LLM key) to blank out.
 * Logging is the single kind of output `core/` does; it writes to stdout or `destination`.
 */
export function createLogger(opts: {
  name: string;
  level?: string;
  secrets?: readonly string[];
  destination?: DestinationStream;
}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length > 0);
  return pino(
    {
      name: opts.name,
      level: opts.level ?? 'info',
      base: { proc: opts.name },
      formatters: {
        log: (obj) => redactValue(obj, secrets) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => (typeof a === 'string' ? redactText(a, secrets) : a));
          method.apply(this, clean as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: unknown) => redactValue(e, secrets) },
    },
    opts.destination,
  );
}
