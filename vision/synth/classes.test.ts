import { describe, expect, it } from 'vitest';
import { parseSynthClasses } from './classes.js';
import { DEFAULT_CLASSES } from './types.js';

describe('parseSynthClasses', () => {
  it('accepts the default classes', () => {
    expect(parseSynthClasses(JSON.parse(JSON.stringify(DEFAULT_CLASSES)))).toEqual(DEFAULT_CLASSES);
  });

  it('names a bad kind by its path', () => {
    expect(() => parseSynthClasses([{ id: 0, key: 'a', kind: 'dial' }])).toThrow(/0\.kind/);
  });

  it('requires ids 0..n-1 and unique keys', () => {
    const bad = [
      { id: 0, key: 'a', kind: 'gauge-normal' },
      { id: 2, key: 'a', kind: 'digital' },
    ];
    expect(() => parseSynthClasses(bad)).toThrow(/0\.\.1 without gaps.*unique/s);
  });
});
