import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ExamConfigError, parseExamConfig, type ExamConfig } from '../core/index.js';

/** Reads and validates the exam config file (YAML or JSON). Throws `ExamConfigError` naming every problem. */
export function loadExamConfigFile(path: string): ExamConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ExamConfigError(path, [`cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'}); set EXAM_CONFIG to the right path`]);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ExamConfigError(path, [`not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`]);
  }
  return parseExamConfig(raw, path);
}
