import { describe, expect, it } from 'vitest';
import { splitDataset } from './split.js';

const items = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, combo: ['0', '1', '0+1', '0+1+2'][i % 4] ?? '0' }));

describe('splitDataset', () => {
  it('is deterministic, stratified and about the rate', () => {
    const a = splitDataset(items, 0.2, 7);
    const b = splitDataset([...items].reverse(), 0.2, 7);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    const val = items.filter((i) => a.get(i.id) === 'val');
    expect(val).toHaveLength(20);
    for (const combo of ['0', '1', '0+1', '0+1+2']) expect(val.filter((v) => v.combo === combo)).toHaveLength(5);
    expect(splitDataset(items, 0.2, 8)).not.toEqual(a);
  });
  it('keeps tiny combos in train', () => {
    const s = splitDataset([{ id: 1, combo: 'x' }, { id: 2, combo: 'x' }], 0.5, 1);
    expect([...s.values()]).toEqual(['train', 'train']);
  });
});
