import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturePlan, ExamConfigError } from '../core/index.js';
import { loadExamConfigFile } from './exam-config-file.js';

describe('loadExamConfigFile', () => {
  it('loads the shipped default: the exam plan of 7 combos and 100 photos', () => {
    const cfg = loadExamConfigFile('config/exam.yaml');
    const plan = capturePlan(cfg);
    expect(plan).toHaveLength(7);
    expect(plan.reduce((s, p) => s + p.quota, 0)).toBe(100);
    expect(cfg.taskName).toBe('competition');
    expect(cfg.classes.map((c) => c.key)).toEqual(['gauge_normal', 'gauge_abnormal', 'digital']);
  });

  it('names a missing file and broken YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exam-'));
    expect(() => loadExamConfigFile(join(dir, 'nope.yaml'))).toThrow(ExamConfigError);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'classes: [\n');
    expect(() => loadExamConfigFile(bad)).toThrow(/not valid YAML/);
  });
});
