/**
 * Station numbers name folders, datasets and training runs, so they are
 * restricted to a safe alphabet. ID numbers follow GB 11643-1999 (18 characters,
 * ISO 7064 MOD 11-2 check digit).
 */

export type Check = { kind: 'ok'; value: string } | { kind: 'invalid'; code: string };

const STATION_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,15}$/;

/** Station number: 1–16 of A–Z, a–z, 0–9 and '-', starting with a letter or digit; upper-cased. */
export function checkStationNo(input: string): Check {
  const value = input.trim().toUpperCase();
  if (!STATION_RE.test(value)) return { kind: 'invalid', code: 'station.invalid' };
  return { kind: 'ok', value };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/** The check character an 18-character ID number must end with, from its first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '?';
}

/** Mainland resident ID: 17 digits, a valid birth date, and the right check character. */
export function checkIdNumber(input: string): Check {
  const value = input.trim().toUpperCase().replace(/\s+/g, '');
  if (!/^\d{17}[\dX]$/.test(value)) return { kind: 'invalid', code: 'id.format' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const isDate = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!isDate || y < 1900) return { kind: 'invalid', code: 'id.date' };
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return { kind: 'invalid', code: 'id.checksum' };
  return { kind: 'ok', value };
}

/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) and zero-width
 * characters (U+200B–U+200D, U+2060, U+FEFF): invisible, they make a folder name display
 * differently from what it is (`张三\u202Egpj.exe`) or two names look the same.
 */
const INVISIBLE_RE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]/u;

/** Contestant name: 1–32 characters, no path separators, control or invisible characters (it names a folder). */
export function checkContestantName(input: string): Check {
  if (INVISIBLE_RE.test(input)) return { kind: 'invalid', code: 'name.invisible' };
  const value = input.trim().replace(/\s+/g, ' ');
  if (value.length < 1 || value.length > 32) return { kind: 'invalid', code: 'name.length' };
  if (/[\\/:*?"<>|\p{Cc}]/u.test(value) || value === '.' || value === '..') {
    return { kind: 'invalid', code: 'name.chars' };
  }
  return { kind: 'ok', value };
}

/** The hand-in folder name the exam asks for: name + ID number. */
export function handinFolderName(name: string, idNumber: string): string {
  return `${name}${idNumber}`;
}
