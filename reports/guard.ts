/**
 * The reports never print a full ID-card number: the caller masks it, and this
 * guard refuses any data that still holds one (a bug upstream, not user input).
 */
import { InvariantError } from '../core/index.js';

/** 17 digits and a digit or X: the shape of a mainland resident ID number. */
const FULL_ID = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/;

/** True when `text` contains something shaped like a full 18-character ID number. */
export function looksLikeFullId(text: string): boolean {
  return FULL_ID.test(text);
}

/**
 * Walks every string of the report data (not the JPEG bytes) and throws an
 * `InvariantError` naming the field when one holds a full ID number.
 */
export function assertNoFullId(data: unknown, path = 'data'): void {
  if (typeof data === 'string') {
    if (looksLikeFullId(data)) {
      throw new InvariantError(`${path} holds a full ID-card number; mask it (e.g. 1101**********1234) before building a report`);
    }
    return;
  }
  if (data === null || typeof data !== 'object' || data instanceof Uint8Array) return;
  if (Array.isArray(data)) {
    data.forEach((item, i) => assertNoFullId(item, `${path}[${i}]`));
    return;
  }
  for (const [key, value] of Object.entries(data)) assertNoFullId(value, `${path}.${key}`);
}
