import { describe, expect, it } from 'vitest';
import { checkContestantName, checkIdNumber, checkStationNo, idCheckChar } from './station.js';
import { maskIdNumber } from './redact.js';

/** Builds a valid ID number from 17 digits. */
const valid = (first17: string) => first17 + idCheckChar(first17);

describe('checkIdNumber', () => {
  it('accepts the standard example 11010519491231002X', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({ kind: 'ok', value: '11010519491231002X' });
    expect(checkIdNumber(' 11010519491231002x ')).toEqual({ kind: 'ok', value: '11010519491231002X' });
  });

  it('rejects a wrong check character, a bad date and a wrong length', () => {
    expect(checkIdNumber('110105194912310021')).toEqual({ kind: 'invalid', code: 'id.checksum' });
    expect(checkIdNumber(valid('11010519990230123'))).toEqual({ kind: 'invalid', code: 'id.date' });
    expect(checkIdNumber('1101051949123100')).toEqual({ kind: 'invalid', code: 'id.format' });
    expect(checkIdNumber('11010519491231002Y')).toEqual({ kind: 'invalid', code: 'id.format' });
  });

  it('is masked as 4 + stars + 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });
});

describe('checkStationNo', () => {
  it('accepts and upper-cases safe names', () => {
    expect(checkStationNo(' a-07 ')).toEqual({ kind: 'ok', value: 'A-07' });
    expect(checkStationNo('12')).toEqual({ kind: 'ok', value: '12' });
  });
  it('refuses path tricks and long names', () => {
    for (const bad of ['../x', 'a/b', '', '-1', 'x'.repeat(17), '工位1', 'a b']) {
      expect(checkStationNo(bad).kind).toBe('invalid');
    }
  });
});

describe('checkContestantName', () => {
  it('accepts Chinese names and refuses separators', () => {
    expect(checkContestantName(' 张 三 ')).toEqual({ kind: 'ok', value: '张 三' });
    expect(checkContestantName('a/b').kind).toBe('invalid');
    expect(checkContestantName('..').kind).toBe('invalid');
    expect(checkContestantName('').kind).toBe('invalid');
  });
});

describe('checkContestantName: invisible characters', () => {
  it('refuses bidirectional controls and zero-width characters', () => {
    const bad = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];
    for (const ch of bad) expect(checkContestantName(`张三${ch}gpj.exe`)).toEqual({ kind: 'invalid', code: 'name.invisible' });
    expect(checkContestantName('\uFEFF张三').kind).toBe('invalid');
  });
  it('still accepts ordinary names, Chinese, Latin and Uyghur (Arabic script)', () => {
    expect(checkContestantName('张三').kind).toBe('ok');
    expect(checkContestantName('Anne-Marie O Neil').kind).toBe('ok');
    expect(checkContestantName('ئەخمەت').kind).toBe('ok');
  });
});
