import { describe, expect, it } from 'vitest';
import { CALLBACK_ACTIONS, decodeCallback, encodeCallback, type CallbackAction } from './callback.js';

describe('callback data', () => {
  it('round-trips', () => {
    const d = encodeCallback('cap', '0+2');
    expect(d).toBe('v1:cap:0+2');
    expect(decodeCallback(d)).toEqual({ action: 'cap', args: ['0+2'] });
    expect(decodeCallback(encodeCallback('pk', 12, 3, 0, 2))).toEqual({ action: 'pk', args: ['12', '3', '0', '2'] });
  });

  it('refuses other versions and junk', () => {
    expect(decodeCallback('v0:cap:1')).toBeUndefined();
    expect(decodeCallback('lang:en')).toBeUndefined();
    expect(decodeCallback('v1:cap:<script>')).toBeUndefined();
    expect(decodeCallback(undefined)).toBeUndefined();
    expect(decodeCallback('v1:' + 'x'.repeat(80))).toBeUndefined();
  });

  it('refuses an unknown action, a wrong number of arguments and a word where a number belongs', () => {
    expect(decodeCallback('v1:nope:1')).toBeUndefined();
    expect(decodeCallback('v1:toString')).toBeUndefined();
    expect(decodeCallback('v1:pc:5')).toBeUndefined();
    expect(decodeCallback('v1:pc:5:1:0')).toBeUndefined();
    expect(decodeCallback('v1:pd:5:1:x')).toBeUndefined();
    expect(decodeCallback('v1:cv:-1')).toBeUndefined();
    expect(decodeCallback('v1:pc:5:1')).toEqual({ action: 'pc', args: ['5', '1'] });
  });

  it('decodes what it encodes for every action, with the arity the registry says', () => {
    for (const action of Object.keys(CALLBACK_ACTIONS) as CallbackAction[]) {
      const kinds = CALLBACK_ACTIONS[action];
      const args = kinds.map((k, i) => (k === 'int' ? String(i + 7) : `w${i}`));
      const data = ['v1', action, ...args].join(':');
      expect(decodeCallback(data), action).toEqual({ action, args });
      expect(decodeCallback(['v1', action, ...args, '1'].join(':')), `${action} with one more`).toBeUndefined();
    }
  });

  it('throws on oversized or unsafe parts (a bug, caught in tests)', () => {
    expect(() => encodeCallback('cap', 'a:b')).toThrow();
    expect(() => encodeCallback('ts', 'x'.repeat(25))).toThrow();
    expect(() => encodeCallback('cv', -1)).toThrow();
    expect(() => encodeCallback('cv', 1.5)).toThrow();
  });

  it('refuses a wrong arity or an unknown action, at compile time and at run time', () => {
    // @ts-expect-error: `pc` takes a photo id and a label version; a missing argument must not compile
    expect(() => encodeCallback('pc', 1)).toThrow(/takes 2 arguments/);
    // @ts-expect-error: `nope` is not a registered action
    expect(() => encodeCallback('nope')).toThrow(/not in CALLBACK_ACTIONS/);
  });
});
