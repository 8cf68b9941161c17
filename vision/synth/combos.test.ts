import { describe, expect, it } from 'vitest';
import { allCombos, planCombos } from './combos.js';
import { DEFAULT_CLASSES } from './types.js';
import type { SynthClass } from './types.js';

const five: SynthClass[] = [
  ...DEFAULT_CLASSES,
  { id: 3, key: 'light_on', kind: 'light-on' },
  { id: 4, key: 'light_off', kind: 'light-off' },
];

describe('allCombos', () => {
  it('lists singles, pairs and triples in id order', () => {
    expect(allCombos(DEFAULT_CLASSES)).toEqual([
      ['gauge_normal'],
      ['gauge_abnormal'],
      ['digital'],
      ['gauge_normal', 'gauge_abnormal'],
      ['gauge_normal', 'digital'],
      ['gauge_abnormal', 'digital'],
      ['gauge_normal', 'gauge_abnormal', 'digital'],
    ]);
    expect(allCombos(five)).toHaveLength(5 + 10 + 10);
  });
});

describe('planCombos', () => {
  it('covers every combo once per cycle', () => {
    const all = allCombos(five).map((c) => c.join('+')).sort();
    const plan = planCombos(five, all.length * 2, 9).map((c) => c.join('+'));
    expect(plan.slice(0, all.length).sort()).toEqual(all);
    expect(plan.slice(all.length).sort()).toEqual(all);
  });

  it('is deterministic per seed and shuffled', () => {
    expect(planCombos(DEFAULT_CLASSES, 20, 3)).toEqual(planCombos(DEFAULT_CLASSES, 20, 3));
    expect(planCombos(five, 25, 3)).not.toEqual(planCombos(five, 25, 4));
    expect(planCombos(five, 25, 3)).not.toEqual(allCombos(five));
  });

  it('handles edge counts', () => {
    expect(planCombos(DEFAULT_CLASSES, 0, 1)).toEqual([]);
    expect(planCombos(DEFAULT_CLASSES, 3, 1)).toHaveLength(3);
    expect(() => planCombos([], 1, 1)).toThrow(/at least one class/);
    expect(() => planCombos(DEFAULT_CLASSES, -1, 1)).toThrow(/count/);
  });
});
