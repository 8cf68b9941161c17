import { describe, expect, it } from 'vitest';
import { capturePlan, combinations, comboKey, parseCombo, planProgress, progressBar } from './plan.js';

const cls = (n: number) =>
  Array.from({ length: n }, (_, id) => ({ id, key: `c${id}`, zh: `类${id}`, en: `Class ${id}` }));

describe('capturePlan', () => {
  it('gives the exam plan for 3 classes: 3+3+1 combos, 100 photos', () => {
    const plan = capturePlan({ classes: cls(3), quotas: { '1': 10, '2': 20, '3': 10 }, maxComboSize: 3 });
    expect(plan.map((p) => p.combo)).toEqual(['0', '1', '2', '0+1', '0+2', '1+2', '0+1+2']);
    expect(plan.reduce((s, p) => s + p.quota, 0)).toBe(100);
  });

  it('derives C(N,1)+C(N,2)+C(N,3) combos for any N', () => {
    for (const n of [1, 2, 4, 5, 7]) {
      const plan = capturePlan({ classes: cls(n), quotas: { '1': 1, '2': 1, '3': 1 }, maxComboSize: 3 });
      const expected = n + (n * (n - 1)) / 2 + (n * (n - 1) * (n - 2)) / 6;
      expect(plan).toHaveLength(expected);
      expect(new Set(plan.map((p) => p.combo)).size).toBe(expected);
    }
  });

  it('for one class has only the single combo', () => {
    const plan = capturePlan({ classes: cls(1), quotas: { '1': 5, '2': 20, '3': 10 }, maxComboSize: 3 });
    expect(plan).toEqual([{ combo: '0', classIds: [0], size: 1, quota: 5 }]);
  });
});

describe('planProgress', () => {
  const plan = capturePlan({ classes: cls(3), quotas: { '1': 10, '2': 20, '3': 10 }, maxComboSize: 3 });

  it('counts captured photos, caps at the quota and names the next combo', () => {
    const p = planProgress(plan, new Map([['0', 10], ['1', 12], ['0+1', 7]]));
    expect(p.captured).toBe(27);
    expect(p.total).toBe(100);
    expect(p.items.find((i) => i.combo === '1')).toMatchObject({ captured: 10, remaining: 0, isFull: true });
    expect(p.next?.combo).toBe('2');
  });

  it('has no next combo when everything is full', () => {
    const counts = new Map(plan.map((i) => [i.combo, i.quota]));
    expect(planProgress(plan, counts).next).toBeUndefined();
  });
});

describe('combo helpers', () => {
  it('makes canonical keys', () => {
    expect(comboKey([2, 0, 2])).toBe('0+2');
    expect(combinations([1, 2, 3, 4], 2)).toHaveLength(6);
  });

  it('parses captions by key, Chinese and English name, with several separators', () => {
    const c = cls(3);
    expect(parseCombo('c2+c0', c)).toBe('0+2');
    expect(parseCombo('类1 ＋ 类0', c)).toBe('0+1');
    expect(parseCombo('Class 0, class 1、类2', c)).toBe('0+1+2');
    expect(parseCombo('hello', c)).toBeUndefined();
    expect(parseCombo('c0+nothing', c)).toBeUndefined();
    expect(parseCombo('   ', c)).toBeUndefined();
  });

  it('draws a progress bar', () => {
    expect(progressBar(5, 10, 10)).toBe('▓▓▓▓▓░░░░░');
    expect(progressBar(0, 0, 4)).toBe('░░░░');
    expect(progressBar(30, 20, 4)).toBe('▓▓▓▓');
  });
});
