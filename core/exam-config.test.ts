import { describe, expect, it } from 'vitest';
import { ExamConfigError, parseExamConfig } from './exam-config.js';

const good = {
  title: 'test',
  quotas: { '1': 10, '2': 20, '3': 10 },
  classes: [
    { id: 0, key: 'a', zh: '甲', en: 'A' },
    { id: 1, key: 'b', zh: '乙', en: 'B' },
    { id: 2, key: 'c', zh: '丙', en: 'C' },
  ],
};

function problems(raw: unknown): string[] {
  try {
    parseExamConfig(raw);
  } catch (err) {
    if (err instanceof ExamConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseExamConfig', () => {
  it('accepts a good config and fills defaults', () => {
    const cfg = parseExamConfig(good);
    expect(cfg.taskName).toBe('competition');
    expect(cfg.sampleRate).toBe(0.2);
    expect(cfg.durationMin).toBe(120);
    expect(cfg.cleaning.nearDuplicateDistance).toBeGreaterThan(0);
  });

  it('names every problem at once: duplicate ids, duplicate keys, empty names, zero quotas', () => {
    const bad = {
      ...good,
      quotas: { '1': 0, '2': 20, '3': 10 },
      classes: [
        { id: 0, key: 'a', zh: '', en: 'A' },
        { id: 0, key: 'a', zh: '乙', en: ' ' },
        { id: 2, key: 'c', zh: '丙', en: 'C' },
      ],
    };
    const p = problems(bad);
    expect(p.some((x) => x.startsWith('quotas.1'))).toBe(true);
    expect(p.some((x) => x.startsWith('classes.0.zh'))).toBe(true);
    expect(p.some((x) => x.startsWith('classes.1.en'))).toBe(true);
    expect(p.some((x) => x.includes('duplicate class id 0'))).toBe(true);
    expect(p.some((x) => x.includes('duplicate class key a'))).toBe(true);
    expect(p.length).toBeGreaterThanOrEqual(5);
  });

  it('requires a quota for each combo size in use and ids without gaps', () => {
    const p = problems({ ...good, quotas: { '1': 10 }, classes: [good.classes[0], { ...good.classes[1], id: 5 }] });
    expect(p.some((x) => x.startsWith('quotas.2'))).toBe(true);
    expect(p.some((x) => x.includes('without gaps'))).toBe(true);
  });

  it('refuses a sample rate outside (0, 1]', () => {
    expect(problems({ ...good, sampleRate: 0 }).some((x) => x.startsWith('sampleRate'))).toBe(true);
    expect(problems({ ...good, sampleRate: 1.5 }).some((x) => x.startsWith('sampleRate'))).toBe(true);
  });
});
