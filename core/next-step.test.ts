import { describe, expect, it } from 'vitest';
import { isWhatNext, nextStep } from './next-step.js';

describe('isWhatNext', () => {
  it('recognises the question and its close variants in both languages', () => {
    for (const q of ['What next?', 'what next', "What's next?", 'What should I do next?', 'what do i do now', 'Next step?', '下一步做什么？', '下一步做什么', '下一步干什么?', '接下来做什么？', '下一步？', '现在该做什么', '接下来干啥', '我现在该做什么？', '我该干啥', '现在我们要做什么呢']) {
      expect(isWhatNext(q), q).toBe(true);
    }
  });
  it('leaves other text alone', () => {
    for (const q of ['A07', 'hello', '张三', 'what is a gauge?', '下一张照片太暗了', '我要做什么实验', '']) expect(isWhatNext(q), q).toBe(false);
  });
});

describe('nextStep', () => {
  const base = { stationNo: 'A07', checking: 0, toConfirm: 0, confirmed: 0, hasModel: false };
  it('walks register → label → capture → checking → train → models', () => {
    expect(nextStep({ ...base, stationNo: undefined }).key).toBe('next.register');
    expect(nextStep({ ...base, toConfirm: 3, planNext: { label: 'x', remaining: 5 } })).toEqual({ key: 'next.label', params: { n: 3 } });
    expect(nextStep({ ...base, planNext: { label: '数显仪表', remaining: 5 } })).toEqual({ key: 'next.capture', params: { label: '数显仪表', remaining: 5 } });
    expect(nextStep({ ...base, checking: 2 }).key).toBe('next.checking');
    expect(nextStep({ ...base, confirmed: 100 })).toEqual({ key: 'next.train', params: { n: 100 } });
    expect(nextStep({ ...base, confirmed: 100, hasModel: true }).key).toBe('next.models');
  });
});
