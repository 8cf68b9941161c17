import { idCheckChar } from './station.js';
import { maskIdNumber } from './redact.js';

/**
 * Text helpers for anything sent to a chat. Telegram refuses a message holding a lone
 * UTF-16 surrogate (invalid UTF-8), so text is never cut by `String.prototype.slice`:
 * a cut through an emoji would make the whole reply fail.
 */

/**
 * The first `maxCodePoints` code points of `text`, with `…` appended when it was cut.
 * Never splits a surrogate pair; a cut keeps at most `maxCodePoints` code points in all.
 */
export function truncate(text: string, maxCodePoints: number): string {
  const points = Array.from(text);
  if (points.length <= maxCodePoints) return text;
  if (maxCodePoints <= 0) return '';
  return `${points.slice(0, maxCodePoints - 1).join('')}…`;
}

const ID_CANDIDATE = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;

/** Whether an 18-character candidate has the GB 11643 check character (any date). */
function hasValidCheck(candidate: string): boolean {
  return idCheckChar(candidate.slice(0, 17)) === candidate.slice(17).toUpperCase();
}

/**
 * ID numbers typed where they do not belong (a caption, free text): 18-character
 * runs of 17 digits + digit/X with a valid check character, not part of a longer run.
 * Random 18-digit numbers pass the check only 1 time in 11.
 */
export function findIdNumbers(text: string): string[] {
  return [...text.matchAll(ID_CANDIDATE)].map((m) => m[0]).filter(hasValidCheck);
}

/** `text` with every ID number found by `findIdNumbers` masked as `1101**********1234`. */
export function maskIdNumbersIn(text: string): string {
  return text.replace(ID_CANDIDATE, (m) => (hasValidCheck(m) ? maskIdNumber(m) : m));
}
