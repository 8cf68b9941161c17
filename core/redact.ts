/**
 * Redaction of secrets and personal data before anything reaches a log.
 * Telegram bot tokens look like `123456789:AA...` (35 chars after the colon);
 * mainland ID numbers are 18 characters (17 digits + digit or X).
 */

const BOT_TOKEN = /(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}/g;
const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;
const OPENAI_KEY = /\bsk-[A-Za-z0-9_-]{8,}\b/g;

/** Replaces bot tokens, API keys and ID numbers in a string. */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 6) out = out.split(secret).join('[REDACTED]');
  }
  return out
    .replace(BOT_TOKEN, (m) => `${m.slice(0, m.indexOf(':'))}:[REDACTED]`)
    .replace(OPENAI_KEY, 'sk-[REDACTED]')
    .replace(BEARER, '$1[REDACTED]')
    .replace(ID_NUMBER, (m) => maskIdNumber(m));
}

/** `110101199003071234` → `1101**********1234`: enough to recognise, not to use. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** Deeply redacts strings inside a JSON-like value (for log objects and errors). */
export function redactValue(value: unknown, extraSecrets: readonly string[] = [], depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return redactText(value, extraSecrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, extraSecrets, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactText(value.message, extraSecrets),
      stack: value.stack ? redactText(value.stack, extraSecrets) : undefined,
    };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SENSITIVE_KEYS.has(k) ? '[REDACTED]' : redactValue(v, extraSecrets, depth + 1);
    }
    return out;
  }
  return value;
}

/** Keys whose values never reach a log, whatever they hold. */
export const SENSITIVE_KEYS = new Set(['token', 'botToken', 'idNumber', 'id_number', 'apiKey', 'password', 'authorization']);
