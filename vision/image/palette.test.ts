import { describe, expect, it } from 'vitest';
import * as core from '../../core/index.js';
import { classPalette } from './palette.js';

describe('preview palette', () => {
  it('is the one table in core, which the box editor gets from the server as well', () => {
    expect(classPalette).toBe(core.classPalette);
    expect(classPalette(3)).toEqual(['#ff3030', '#ffee00', '#22cc44']);
  });
});
